import type { FetchLike } from './types.js'

// The few globals the connection client needs, which browsers and Node 20 both have. The sdk is
// compiled without DOM or Node typings (its core must run in both), so they are declared here once.

interface PlatformGlobals {
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
  queueMicrotask(fn: () => void): void
  structuredClone<T>(value: T): T
  crypto: { getRandomValues<T extends Uint8Array>(array: T): T }
  fetch: FetchLike
  atob(base64: string): string
}

/** globalThis, typed with what the connection client uses. */
export const platform = globalThis as unknown as PlatformGlobals
