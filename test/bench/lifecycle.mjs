// Everything the benchmark must undo on the way out (child processes, temp dirs), kept in one list
// so a normal finish, a crash and Ctrl-C all leave the machine as they found it. Cleanups are
// synchronous on purpose: they also run from process.on('exit'), where nothing can be awaited.

const cleanups = new Set()
let installed = false

/** Registers `fn` to run once on exit; the returned function unregisters it (after a graceful stop). */
export function registerCleanup(fn) {
  installExitHandlers()
  cleanups.add(fn)
  return () => cleanups.delete(fn)
}

/** Runs every registered cleanup now, newest first, and forgets them. */
export function runCleanups() {
  for (const fn of [...cleanups].reverse()) {
    cleanups.delete(fn)
    try {
      fn()
    } catch (err) {
      process.stderr.write(`bench: cleanup failed: ${err?.message ?? err}\n`)
    }
  }
}

function installExitHandlers() {
  if (installed) return
  installed = true
  process.on('exit', runCleanups)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      process.stderr.write(`\nbench: ${signal}, stopping children and removing temp dirs\n`)
      runCleanups()
      process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1))
    })
  }
}
