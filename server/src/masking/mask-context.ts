import type { VisitorContext } from '@parley/sdk/contract'
import type { Masker } from '@parley/sdk/masking'

// What a visitor's context carries that a person typed or a page put in a link: the page URL, title
// and referrer (query strings carry e-mails and tokens) and the text values the brand's page set.
// The rest (language, user agent, screen, counts) is the browser's own and is left as it is.

/** The context with its URL, title, referrer and text values masked; the same object when nothing changed. */
export function maskVisitorContext(ctx: VisitorContext, masker: Masker): VisitorContext {
  let changed = false
  const mask = (s: string): string => {
    const out = masker.mask(s).text
    if (out !== s) changed = true
    return out
  }
  const next: VisitorContext = { ...ctx }
  if (ctx.url !== undefined) next.url = mask(ctx.url)
  if (ctx.title !== undefined) next.title = mask(ctx.title)
  if (ctx.referrer !== undefined) next.referrer = mask(ctx.referrer)
  if (ctx.values) {
    next.values = Object.fromEntries(Object.entries(ctx.values).map(([k, v]) => [k, typeof v === 'string' ? mask(v) : v]))
  }
  return changed ? next : ctx
}

/** A stored context (its JSON) masked; the same string when nothing changed or it is not a context. */
export function maskStoredContext(json: string, masker: Masker): string {
  let ctx: unknown
  try {
    ctx = JSON.parse(json)
  } catch {
    return json
  }
  if (typeof ctx !== 'object' || ctx === null || Array.isArray(ctx)) return json
  const masked = maskVisitorContext(ctx as VisitorContext, masker)
  return masked === ctx ? json : JSON.stringify(masked)
}
