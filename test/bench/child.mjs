import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { registerCleanup } from './lifecycle.mjs'

// Child processes of the benchmark (relays under test and the load generator). Their stdout is
// always drained: the relay logs with pino, which blocks its event loop once a pipe fills up, and
// that would show up as a slow relay instead of a stuck benchmark.

const TAIL_LINES = 40

/**
 * Starts `node ...args` as a tracked child; `onJson` sees every JSON line it prints on stdout, and
 * `echoStderr` passes its stderr through (the loadgen's progress lines). Returns the child with
 * `tail()` (recent output, for error reports), `waitForJson(predicate, timeoutMs)` (the first
 * stdout JSON line matching) and `exited` (a promise of { code, signal }).
 */
export function spawnNode(name, args, { env = process.env, cwd, onJson, echoStderr = false } = {}) {
  // stdin stays a pipe: the baselines exit when it closes, so even a SIGKILLed orchestrator
  // leaves no relay behind.
  const child = spawn(process.execPath, args, { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] })
  const recent = []
  const waiters = new Set()
  const remember = (line) => {
    recent.push(line)
    if (recent.length > TAIL_LINES) recent.shift()
  }
  createInterface({ input: child.stdout }).on('line', (line) => {
    remember(line)
    if ((waiters.size === 0 && !onJson) || !line.startsWith('{')) return
    let parsed
    try {
      parsed = JSON.parse(line)
    } catch {
      return
    }
    onJson?.(parsed)
    for (const waiter of waiters) waiter(parsed)
  })
  createInterface({ input: child.stderr }).on('line', (line) => {
    remember(`[stderr] ${line}`)
    if (echoStderr) process.stderr.write(`${line}\n`)
  })

  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })))
  const unregister = registerCleanup(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
  })
  child.exited.then(unregister)

  child.tail = () => recent.join('\n')
  child.waitForJson = (predicate, timeoutMs) => new Promise((resolve, reject) => {
    const done = (fn, value) => {
      waiters.delete(onLine)
      clearTimeout(timer)
      fn(value)
    }
    const onLine = (obj) => { if (predicate(obj)) done(resolve, obj) }
    const timer = setTimeout(() => done(reject, new Error(`${name}: no expected output within ${timeoutMs} ms\n${child.tail()}`)), timeoutMs)
    waiters.add(onLine)
    child.exited.then(({ code, signal }) =>
      done(reject, new Error(`${name} exited (code ${code}, signal ${signal}) before the expected output\n${child.tail()}`)))
  })
  return child
}

/** Asks a child to stop (SIGTERM), and kills it if it is still running after `graceMs`. */
export async function stopChild(child, graceMs = 5000) {
  if (child.exitCode !== null || child.signalCode !== null) return child.exited
  child.kill('SIGTERM')
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs)
  const result = await child.exited
  clearTimeout(timer)
  return result
}
