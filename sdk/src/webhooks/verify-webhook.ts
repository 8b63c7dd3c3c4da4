import type { WebhookPayload } from '../contract/webhooks.js'

// Checks a delivery the relay signed, for a brand's receiver (Node 20+, Deno, Bun, Workers,
// browsers: WebCrypto only). Standard Webhooks: the signed content is `${id}.${timestamp}.${body}`,
// HMAC-SHA256 keyed with the base64 part of the `whsec_` secret; the header may carry several
// `v1,<base64>` signatures (during a secret rotation) and one match is enough. The timestamp must be
// recent, so a captured delivery cannot be replayed later.

// The sdk is compiled without DOM or Node typings: the slice of web globals used here, declared.
interface VerifyGlobals {
  crypto: { subtle: {
    importKey(format: 'raw', key: Uint8Array, alg: { name: 'HMAC'; hash: 'SHA-256' }, extractable: false, usages: ['sign']): Promise<unknown>
    sign(alg: 'HMAC', key: unknown, data: Uint8Array): Promise<ArrayBuffer>
  } }
  atob(s: string): string
  btoa(s: string): string
  TextEncoder: new () => { encode(s: string): Uint8Array }
  TextDecoder: new () => { decode(b: Uint8Array): string }
}
const g = globalThis as unknown as VerifyGlobals

/** Headers as a Fetch `Headers` or a Node `IncomingHttpHeaders`-like record. */
export type WebhookHeaders = { get(name: string): string | null } | Readonly<Record<string, string | readonly string[] | undefined>>

/** How strict to be. */
export interface VerifyWebhookOptions {
  /** Largest gap between the timestamp and now, either way (seconds; default 300). */
  toleranceSeconds?: number
  /** Now in ms (default Date.now()). */
  now?: number
}

function header(h: WebhookHeaders, name: string): string | null {
  if (typeof (h as { get?: unknown }).get === 'function') return (h as { get(n: string): string | null }).get(name)
  const v = (h as Record<string, string | readonly string[] | undefined>)[name]
  return typeof v === 'string' ? v : v?.[0] ?? null
}

function fromBase64(s: string): Uint8Array {
  const bin = g.atob(s)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}

function toBase64(bytes: Uint8Array): string {
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  return g.btoa(bin)
}

/** Compares without stopping at the first difference, so timing tells nothing. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i)
  return diff === 0
}

/**
 * Resolves the delivery's payload when one of its signatures was made with `secret` (or one of
 * `secrets`, while you rotate) over exactly `body` (the raw bytes received, not re-serialised JSON)
 * and its timestamp is recent; null otherwise.
 */
export async function verifyWebhook(secret: string | readonly string[], headers: WebhookHeaders, body: string | Uint8Array, opts: VerifyWebhookOptions = {}): Promise<WebhookPayload | null> {
  const id = header(headers, 'webhook-id')
  const timestamp = header(headers, 'webhook-timestamp')
  const signatures = header(headers, 'webhook-signature')
  if (!id || !timestamp || !signatures || !/^\d{1,12}$/.test(timestamp)) return null
  const now = opts.now ?? Date.now()
  if (Math.abs(now / 1000 - Number(timestamp)) > (opts.toleranceSeconds ?? 300)) return null
  const text = typeof body === 'string' ? body : new g.TextDecoder().decode(body)
  const content = new g.TextEncoder().encode(`${id}.${timestamp}.${text}`)
  const given = signatures.split(' ').filter((s) => s.startsWith('v1,')).map((s) => s.slice(3))
  for (const s of typeof secret === 'string' ? [secret] : secret) {
    let key: unknown
    try {
      key = await g.crypto.subtle.importKey('raw', fromBase64(s.replace(/^whsec_/, '')), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
    } catch {
      continue
    }
    const expected = toBase64(new Uint8Array(await g.crypto.subtle.sign('HMAC', key, content)))
    if (given.some((g) => sameText(g, expected))) {
      try { return JSON.parse(text) as WebhookPayload } catch { return null }
    }
  }
  return null
}
