import { WIDGET_DEFAULTS, type WidgetConfig } from '@parley/sdk/contract'
import { EN, type StringKey, type Strings } from './strings.js'
import { LANGUAGES, regionalLocale } from './languages.js'

// Which language a page shows and where each string comes from, when the brand may supply texts in
// any BCP 47 language, including ones the widget doesn't ship. One language is picked for the page;
// then each string is looked up on its own down a chain, so a partial translation still works.

type Texts = NonNullable<WidgetConfig['texts']>
/** Some strings of a table: a brand's texts (plain strings only) or a shipped table. */
type Overrides = { [K in StringKey]?: Strings[K] | undefined }

/** `tag` and its shorter forms, longest first: `fr-Latn-CA`, `fr-Latn`, `fr` (no dangling singleton). */
export function truncations(tag: string): string[] {
  const parts = tag.split('-')
  const out: string[] = []
  for (let n = parts.length; n > 0; n--) {
    if (parts[n - 1]!.length === 1) continue // `-x`, `-u`: a singleton never ends a tag
    out.push(parts.slice(0, n).join('-'))
  }
  return out
}

/** The entry of `table` whose key is `tag`, compared without case (tags are case-insensitive). */
function lookup<T>(table: Readonly<Record<string, T>>, tag: string): T | undefined {
  const want = tag.toLowerCase()
  for (const key of Object.keys(table)) if (key.toLowerCase() === want) return table[key]
  return undefined
}

/**
 * The language to show, as spelled in `available`: for each of `wanted` in order, its exact tag,
 * then its shorter forms (`fr-CA` → `fr`); else `fallback` the same way; else `en`.
 */
export function chooseLanguage(wanted: readonly string[], available: readonly string[], fallback: string): string {
  const byLower = new Map(available.map((a) => [a.toLowerCase(), a]))
  for (const w of [...wanted, fallback]) {
    for (const t of truncations(w)) {
      const hit = byLower.get(t.toLowerCase())
      if (hit) return hit
    }
  }
  return 'en'
}

/** Languages written right to left (base subtags): Firefox's Intl.Locale has no text info to ask. */
const RTL_LANGUAGES = /^(ar|arc|ckb|dv|fa|he|iw|ks|mzn|nqo|pnb|ps|sd|syr|ug|ur|yi)$/
/** Right-to-left scripts, for a tag that names one (`pa-Arab`). */
const RTL_SCRIPTS = /^(arab|hebr|thaa|syrc|nkoo|adlm|rohg)$/

/** Whether `lang` is written right to left. */
export function isRightToLeft(lang: string): boolean {
  const [base = '', ...rest] = lang.toLowerCase().split('-')
  const shipped = lookup(LANGUAGES, base)
  if (shipped) return shipped.rtl
  const script = rest.find((p) => p.length === 4 && /^[a-z]+$/.test(p))
  if (script) return RTL_SCRIPTS.test(script)
  if (RTL_LANGUAGES.test(base)) return true
  try {
    const locale = new Intl.Locale(lang) as Intl.Locale & { getTextInfo?: () => { direction?: string }; textInfo?: { direction?: string } }
    return (locale.getTextInfo?.() ?? locale.textInfo)?.direction === 'rtl'
  } catch {
    return false
  }
}

/** What a page shows: its language, every string, and whether the brand set the title itself (in any language of the chain). */
export interface ResolvedStrings {
  lang: string
  rtl: boolean
  strings: Strings
  brandTitle: boolean
}

/**
 * The page's language and strings. Each string is the first found of: the brand's text in the
 * page's language, the widget's table for it, the same for its shorter forms, then the brand's
 * default language (`locale`) likewise, then English (the brand's `en` texts, then the table).
 */
export async function resolveStrings(wanted: readonly string[], widget: Pick<WidgetConfig, 'locale' | 'texts'>): Promise<ResolvedStrings> {
  const texts: Texts = widget.texts ?? {}
  const fallback = widget.locale ?? WIDGET_DEFAULTS.locale
  const lang = chooseLanguage(wanted, [...Object.keys(LANGUAGES), ...Object.keys(texts)], fallback)
  const chain: Overrides[] = []
  /** The brand's own tables down the same chain: its title, in any of them, beats a shipped table's generic one. */
  const own: Overrides[] = []
  for (const tag of [lang, fallback, 'en']) {
    for (const t of truncations(tag)) {
      const brand = lookup(texts, t) ?? {}
      chain.push(brand)
      own.push(brand)
      const shipped = lookup(LANGUAGES, t)
      if (shipped) chain.push(await shipped.load())
    }
  }
  chain.push(EN)
  const picked: Record<string, unknown> = { ...EN }
  for (const key of Object.keys(EN) as StringKey[]) {
    for (const table of chain) {
      const v = table[key]
      if (v) {
        picked[key] = v
        break
      }
    }
  }
  const strings = picked as Strings
  const title = own.find((t) => t.title)?.title
  if (title) strings.title = title
  // The page's own language, narrowed to the visitor's region, whatever table the other strings came from.
  strings.locale = regionalLocale(wanted, lang)
  return { lang, rtl: isRightToLeft(lang), strings, brandTitle: Boolean(title) }
}
