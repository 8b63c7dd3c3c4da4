import { LOGO_URL_PATTERN } from '@parley/sdk/contract'

// Which brand logos the widget shows: the contract's rule, the one the relay validates the config
// with (one table of cases runs against both in a test).

const ALLOWED = new RegExp(LOGO_URL_PATTERN)

/** `raw` when it is a logo the widget may load, else null. */
export function safeLogoUrl(raw: string | undefined): string | null {
  if (!raw || !ALLOWED.test(raw)) return null
  try {
    return new URL(raw).hostname ? raw : null
  } catch {
    return null
  }
}
