// Which brand logos the widget shows. The relay validates the config with the same rule (the
// logoUrl pattern of the contract's WidgetConfig; one table of cases runs against both in a test):
// an https image, or plain http only from this machine (localhost, 127.0.0.1) for development. A
// plain-http logo elsewhere would be mixed content on the brand's https page and an image anyone on
// the network path can swap.

const ALLOWED = /^(https:\/\/\S+|http:\/\/(localhost|127\.0\.0\.1)(:\d{1,5})?([/?#]\S*)?)$/

/** `raw` when it is a logo the widget may load, else null. */
export function safeLogoUrl(raw: string | undefined): string | null {
  if (!raw || !ALLOWED.test(raw)) return null
  try {
    return new URL(raw).hostname ? raw : null
  } catch {
    return null
  }
}
