/** Resolves after `ms` milliseconds (the load modes pace phases by wall-clock time by design). */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
