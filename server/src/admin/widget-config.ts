import type { WidgetConfig } from '@parley/sdk/contract'

// The checks on a widget config that a JSON schema can't express: language tags are BCP 47 by
// `Intl.getCanonicalLocales` (the schema's pattern only shapes them), and they are stored in
// canonical case so that `fr-ca` and `fr-CA` are one language, not two that shadow each other.

/** The canonical form of a BCP 47 tag, or null when it is none. */
export function canonicalLanguage(tag: string): string | null {
  try {
    return Intl.getCanonicalLocales(tag)[0] ?? null
  } catch {
    return null
  }
}

/** `config` with its language tags canonical, or the problem that makes it invalid (naming the field). */
export function canonicalWidgetConfig(config: WidgetConfig): { ok: true; config: WidgetConfig } | { ok: false; problem: string } {
  const out: WidgetConfig = { ...config }
  if (config.locale !== undefined) {
    const locale = canonicalLanguage(config.locale)
    if (!locale) return { ok: false, problem: `locale '${config.locale}' is not a BCP 47 language tag` }
    out.locale = locale
  }
  if (config.texts !== undefined) {
    const texts: NonNullable<WidgetConfig['texts']> = {}
    const given = new Map<string, string>()
    for (const [tag, strings] of Object.entries(config.texts)) {
      const lang = canonicalLanguage(tag)
      if (!lang) return { ok: false, problem: `texts/${tag} is not a BCP 47 language tag` }
      const first = given.get(lang)
      if (first !== undefined) return { ok: false, problem: `texts/${tag} and texts/${first} are the same language (${lang})` }
      given.set(lang, tag)
      texts[lang] = strings
    }
    out.texts = texts
  }
  return { ok: true, config: out }
}

/**
 * A merge patch with its `texts` language tags canonical, so that it names the language stored
 * under the canonical tag (`fr-ca: null` removes `fr-CA`). Tags that aren't languages, or two that
 * name one language, are left as given for the merged document's check to report.
 */
export function canonicalTextsPatch(patch: unknown): unknown {
  if (!isObject(patch) || !isObject(patch.texts)) return patch
  const texts: Record<string, unknown> = {}
  for (const [tag, strings] of Object.entries(patch.texts)) {
    const lang = canonicalLanguage(tag) ?? tag
    if (Object.hasOwn(texts, lang)) return patch
    texts[lang] = strings
  }
  return { ...patch, texts }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
