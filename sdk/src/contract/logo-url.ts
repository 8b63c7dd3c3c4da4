// Kept apart from config.ts, and free of TypeBox, so the widget bundle can import the rule without
// pulling in the schema library: the relay validates WidgetConfig.logoUrl and the widget checks the
// logo it loads with this one pattern. A plain-http logo elsewhere would be mixed content on the
// brand's https page and an image anyone on the network path can swap.

/** A brand logo the widget may load: an https URL, or plain http only from this machine (localhost, 127.0.0.1) for development. */
export const LOGO_URL_PATTERN = '^(https://[^\\s]+|http://(localhost|127\\.0\\.0\\.1)(:[0-9]{1,5})?([/?#][^\\s]*)?)$'
