import { ApiError } from './api.js'
import { adminRefusal } from './admin-refusal.js'

/** A rejection handler for the admin area: a refused token (401) ends the session here, anything else is said in words. */
export function adminFailure(onAuthLost: (code?: string) => void, show: (message: string) => void): (err: unknown) => void {
  return (err) => {
    if (err instanceof ApiError && err.status === 401) onAuthLost(err.code)
    else show(adminRefusal(err))
  }
}
