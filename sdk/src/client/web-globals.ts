// The few web-platform globals the REST client uses, which browsers and Node 20 both have. The sdk
// is compiled without DOM or Node typings, so the client declares the slice of them it relies on.

/** The part of an AbortSignal the client reads. */
export interface AbortSignalLike {
  readonly aborted: boolean
  readonly reason?: unknown
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void
  removeEventListener(type: 'abort', listener: () => void): void
}

/** The part of a fetch Response the client reads. */
export interface ResponseLike {
  readonly status: number
  readonly headers: { get(name: string): string | null }
  text(): Promise<string>
  /** For downloads (parley.attachments), which refuse a response without it; every standard fetch has it. */
  arrayBuffer?(): Promise<ArrayBuffer>
  /** For streamed answers (parley.visitors.exportStream), which refuse a response without it. */
  readonly body?: BodyStreamLike | null
}

/** The part of a fetch Response's body stream the client reads. */
export interface BodyStreamLike {
  getReader(): {
    read(): Promise<{ done: boolean; value?: Uint8Array }>
    cancel(reason?: unknown): Promise<void>
  }
}

/** What the client passes to fetch. */
export interface FetchInit {
  method: string
  headers: Record<string, string>
  body?: string
  signal: AbortSignalLike
}

/** A fetch function: the global one by default, or the caller's (a proxy agent, a test double). */
export type FetchLike = (url: string, init: FetchInit) => Promise<ResponseLike>

interface AbortControllerLike {
  readonly signal: AbortSignalLike
  abort(reason?: unknown): void
}

interface WebGlobals {
  fetch?: FetchLike
  AbortController: new () => AbortControllerLike
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

/** globalThis, typed with what the REST client uses. */
export const web = globalThis as unknown as WebGlobals
