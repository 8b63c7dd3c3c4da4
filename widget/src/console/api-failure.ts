import { ApiError } from './api.js'

// A console view's answer to a failed REST call: a refused token (401) signs the agent out, any
// other failure is shown where the view shows its errors.

/** A rejection handler: 401 calls `onAuthLost` with its code (revoked, deactivated…), anything else goes to `show` with its message. */
export function apiFailure(onAuthLost: ((code?: string) => void) | undefined, show: (message: string) => void): (err: unknown) => void {
  return (err) => {
    if (err instanceof ApiError && err.status === 401) onAuthLost?.(err.code)
    else show((err as Error).message)
  }
}
