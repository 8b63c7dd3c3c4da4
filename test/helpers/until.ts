/**
 * Waits until `check` returns a truthy value (polling), or fails after `timeoutMs` with `what`; a
 * function for `what` is asked only then, so the failure can say what the check saw last.
 * Polls every 5 ms at first, then less often, up to every 20 ms: a check that asks Chromium or the
 * relay costs CPU each time, and a long wait polled every 5 ms took a good part of a core from the
 * other test file running beside it.
 */
export async function until<T>(check: () => T | Promise<T>, what: string | (() => string) = 'condition', timeoutMs = 10_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs
  for (let pause = 5; ; pause = Math.min(pause * 2, 20)) {
    const v = await check()
    if (v) return v as NonNullable<T>
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'function' ? what() : what}`)
    await new Promise((r) => setTimeout(r, pause))
  }
}
