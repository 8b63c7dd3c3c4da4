import { randomId } from '../connection/random-id.js'
import { APIConnectionError, ParleyApiError, ParleyError, TimeoutError } from './errors.js'
import { errorFromResponse } from './error-from-response.js'
import { MAX_TIMER_MS, sleep } from './sleep.js'
import { backoffMs, MAX_RETRY_AFTER_MS, retryAfterMs } from './retry-delay.js'
import { web, type AbortSignalLike, type FetchLike } from './web-globals.js'

// The one place the REST client talks HTTP: timeouts, abort signals, retries with backoff, and the
// Idempotency-Key. Resources describe a call (method, path, query, body) and get back its JSON.

/** Options every SDK call takes as its last argument; each overrides the client's setting. */
export interface RequestOptions {
  /** Aborts the call: it rejects with the signal's reason and is not retried. */
  signal?: AbortSignalLike
  /** Per attempt, in ms (default: the client's, 30 000). */
  timeoutMs?: number
  /** Retries after the first attempt (default: the client's, 2). */
  maxRetries?: number
  /** For POST, PUT and PATCH: the key the relay deduplicates on (default: a fresh one per call). */
  idempotencyKey?: string
}

/**
 * Options for a call whose answer holds a secret (a new API key, an identity secret): the relay does
 * not store such an answer for replay, so a retry after a lost answer would act a second time (make
 * a second key, or rotate again with the first new secret never seen). Such calls are never retried;
 * the caller sees the error and can list what exists before trying again.
 */
export const SECRET_ANSWER: Readonly<Pick<RequestOptions, 'maxRetries'>> = { maxRetries: 0 }

/** One call as a resource describes it. */
export interface RequestSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  path: string
  query?: Readonly<Record<string, string | number | boolean | undefined>>
  body?: unknown
  /** Default application/json; merge patches say application/merge-patch+json. */
  contentType?: string
  /** Read a 2xx answer as bytes (a download), not JSON: resolves with a Download. */
  binary?: boolean
  /** Read a 2xx answer as text (a page, a text file), not JSON: resolves with a string. */
  text?: boolean
  /** Hand over a 2xx answer's body as it arrives, unread: resolves with a Streamed. */
  stream?: boolean
}

/** A 2xx answer read as bytes. */
export interface Download {
  bytes: Uint8Array
  headers: { get(name: string): string | null }
}

/**
 * A 2xx answer whose body is still arriving: iterate `chunks` (once) to read it. The call's timeout
 * then counts from the last chunk (a relay that stalls that long times out; a long export does not),
 * and the call's signal still aborts it; stopping the iteration early cancels the rest.
 */
export interface Streamed {
  chunks: AsyncIterable<Uint8Array>
  headers: { get(name: string): string | null }
}

/** How a 2xx answer is read. */
type ReadAs = 'json' | 'bytes' | 'text' | 'stream'

/** The client-wide settings the transport runs with. */
export interface TransportSettings {
  relay: string
  apiKey: string
  timeoutMs: number
  maxRetries: number
  fetch: FetchLike
  signal?: AbortSignalLike
}

type Attempt = { ok: true; value: unknown } | { ok: false; error: ParleyError; waitMs: number | null }

/** Rejects with the reason of the first aborted signal, if any. */
function throwIfAborted(signals: readonly AbortSignalLike[]): void {
  const aborted = signals.find((s) => s.aborted)
  if (aborted) throw aborted.reason
}

function queryString(query: RequestSpec['query']): string {
  const parts: string[] = []
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
  }
  return parts.length > 0 ? `?${parts.join('&')}` : ''
}

/** Sends calls to one relay with one API key. */
export class Transport {
  readonly #s: TransportSettings

  constructor(settings: TransportSettings) {
    this.#s = settings
  }

  /** Sends one call, retrying what can be retried; resolves with the answer's JSON (undefined if empty). */
  async request<T>(spec: RequestSpec, opts: RequestOptions = {}): Promise<T> {
    const maxRetries = Math.max(0, opts.maxRetries ?? this.#s.maxRetries)
    const timeoutMs = opts.timeoutMs ?? this.#s.timeoutMs
    const signals = [opts.signal, this.#s.signal].filter((s): s is AbortSignalLike => s !== undefined)
    const readAs: ReadAs = spec.stream ? 'stream' : spec.binary ? 'bytes' : spec.text ? 'text' : 'json'
    const headers: Record<string, string> = { accept: readAs === 'json' ? 'application/json' : '*/*', authorization: `Bearer ${this.#s.apiKey}` }
    let body: string | undefined
    if (spec.body !== undefined) {
      headers['content-type'] = spec.contentType ?? 'application/json'
      body = JSON.stringify(spec.body)
    }
    // Made once per call and sent on every retry: a retry after a lost answer then replays the first
    // result instead of acting twice. Sent even with retries off, since the caller may retry the call
    // itself with the same options (stripe-node does the same).
    if (spec.method !== 'GET') headers['idempotency-key'] = opts.idempotencyKey ?? `parley-${randomId(24)}`
    const url = `${this.#s.relay}${spec.path}${queryString(spec.query)}`
    const what = `${spec.method} ${spec.path}`

    for (let retry = 0; ; retry++) {
      throwIfAborted(signals)
      const a = await this.#attempt(url, { method: spec.method, headers, ...(body !== undefined ? { body } : {}) }, what, timeoutMs, signals, readAs)
      if (a.ok) return a.value as T
      if (!a.error.retryable || retry >= maxRetries) throw a.error
      if (a.waitMs !== null && a.waitMs > MAX_RETRY_AFTER_MS) throw a.error
      await sleep(a.waitMs ?? backoffMs(retry + 1, Math.random()), signals)
    }
  }

  async #attempt(
    url: string, init: { method: string; headers: Record<string, string>; body?: string },
    what: string, timeoutMs: number, signals: readonly AbortSignalLike[], readAs: ReadAs,
  ): Promise<Attempt> {
    const controller = new web.AbortController()
    let timedOut = false
    const onAbort = () => controller.abort(signals.find((s) => s.aborted)?.reason)
    for (const s of signals) s.addEventListener('abort', onAbort, { once: true })
    const startTimer = () => web.setTimeout(() => {
      timedOut = true
      controller.abort()
    }, Math.min(timeoutMs, MAX_TIMER_MS))
    let timer = startTimer()
    // A streamed body outlives this attempt: its reader then stops the timer and the listeners.
    let handedOver = false
    const settle = () => {
      web.clearTimeout(timer)
      for (const s of signals) s.removeEventListener('abort', onAbort)
    }
    try {
      // The timer covers reading the body too: a relay that sends headers and then stalls times out.
      const res = await this.#s.fetch(url, { ...init, signal: controller.signal })
      if (readAs === 'stream' && res.status >= 200 && res.status < 300) {
        const reader = res.body?.getReader()
        if (!reader) {
          const error = new ParleyError({
            code: 'PARLEY_ERR_REQUEST_INVALID', status: res.status, retryable: false, requestId: res.headers.get('request-id') ?? res.headers.get('x-request-id'),
            message: `${what} is streamed, but the fetch given to the client answered without a body stream`,
          })
          return { ok: false, error, waitMs: null }
        }
        handedOver = true
        const chunks = async function* (): AsyncGenerator<Uint8Array> {
          let done = false
          try {
            for (;;) {
              let next: { done: boolean; value?: Uint8Array }
              try {
                next = await reader.read()
              } catch (err) {
                throwIfAborted(signals)
                if (timedOut) throw new TimeoutError(what, timeoutMs)
                throw new APIConnectionError(`${what} failed while its answer arrived: ${err instanceof Error ? err.message : String(err)}`, { cause: err })
              }
              if (next.done) { done = true; return }
              web.clearTimeout(timer)
              timer = startTimer()
              if (next.value) yield next.value
            }
          } finally {
            settle()
            if (!done) await reader.cancel().catch(() => {})
          }
        }
        const streamed: Streamed = { chunks: chunks(), headers: res.headers }
        return { ok: true, value: streamed }
      }
      if (readAs === 'bytes' && res.status >= 200 && res.status < 300) {
        // Read as text, the bytes of a file would be mangled (or parsed as JSON when they look like
        // it) and the caller would get something that is not a Download: refuse instead.
        if (typeof res.arrayBuffer !== 'function') {
          const error = new ParleyError({
            code: 'PARLEY_ERR_REQUEST_INVALID', status: res.status, retryable: false, requestId: res.headers.get('request-id') ?? res.headers.get('x-request-id'),
            message: `${what} is a download, but the fetch given to the client answered without arrayBuffer()`,
          })
          return { ok: false, error, waitMs: null }
        }
        const download: Download = { bytes: new Uint8Array(await res.arrayBuffer()), headers: res.headers }
        return { ok: true, value: download }
      }
      const text = await res.text()
      if (res.status >= 200 && res.status < 300) {
        if (readAs === 'text') return { ok: true, value: text }
        if (text === '') return { ok: true, value: undefined }
        try {
          return { ok: true, value: JSON.parse(text) }
        } catch {
          return { ok: false, error: new ParleyApiError({ status: res.status, code: 'PARLEY_ERR_SERVER_INTERNAL', message: `The answer to ${what} is not JSON`, retryable: false, requestId: null }), waitMs: null }
        }
      }
      const waitMs = retryAfterMs(res.headers, Date.now())
      return { ok: false, error: errorFromResponse(res.status, res.headers, text, waitMs), waitMs }
    } catch (err) {
      throwIfAborted(signals)
      if (timedOut) return { ok: false, error: new TimeoutError(what, timeoutMs), waitMs: null }
      // Node's fetch says only "fetch failed"; the cause names the network error (ECONNREFUSED …).
      const cause = (err as { cause?: { code?: unknown } } | null)?.cause?.code
      const reason = `${err instanceof Error ? err.message : String(err)}${typeof cause === 'string' ? ` (${cause})` : ''}`
      return { ok: false, error: new APIConnectionError(`${what} failed: ${reason}`, { cause: err }), waitMs: null }
    } finally {
      if (!handedOver) settle()
    }
  }
}
