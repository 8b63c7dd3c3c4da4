import { spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { describe, it } from 'vitest'
import { freePort } from './free-port.js'
import { tempDir } from './temp-dir.js'
import { until } from './until.js'

// Real Redis for the suites that need it: this machine's server (127.0.0.1:6379, or
// PARLEY_TEST_REDIS_URL). In CI a missing server fails the suite; locally it is skipped and says so.
// A test that stops and starts Redis runs a private redis-server of its own (never the machine's).

/** The shared Redis the suites use. */
export const REDIS_URL = process.env.PARLEY_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379'

async function probe(): Promise<string | null> {
  const r = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 2000 })
  r.on('error', () => {})
  try {
    await r.connect()
    await r.ping()
    return null
  } catch (err) {
    return (err as Error).message
  } finally {
    r.disconnect()
  }
}

/** A key prefix of the test's own: parallel test files on the shared Redis never share a bus, leases or keys. */
export function testRedisPrefix(): string {
  return `parley-test-${randomBytes(4).toString('hex')}:`
}

/** Null when Redis answers; otherwise why not. */
export const REDIS_MISSING: string | null = await probe()

/** `describe` when Redis answers; otherwise, in CI, a failing describe, and locally a skipped one with a message. */
export function describeWithRedis(name: string, body: () => void): void {
  if (REDIS_MISSING === null) {
    describe(name, body)
    return
  }
  const why = `Redis is not reachable at ${REDIS_URL} (${REDIS_MISSING}); start it with: redis-server --daemonize yes`
  if (process.env.CI) {
    describe(name, () => { it('needs Redis', () => { throw new Error(why) }) })
    return
  }
  process.stderr.write(`\n[Redis tests skipped] ${name}: ${why}\n`)
  describe.skip(name, body)
}

/** A redis-server of the test's own, on an ephemeral port, that the test may stop and start. */
export interface PrivateRedis {
  url: string
  /** Stops the server (SIGKILL: nothing saved, every connection cut). */
  stop(): Promise<void>
  /** Starts it again on the same port, empty. */
  start(): Promise<void>
  /** Freezes the server (SIGSTOP): connections stay open, nothing is answered. */
  pause(): void
  /** Thaws a paused server (SIGCONT). */
  resume(): void
  /** Stops it and removes its directory. */
  close(): Promise<void>
}

/** Starts a private redis-server (no persistence) in a temp dir. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const port = await freePort()
  const { dir, remove } = tempDir('parley-redis-')
  let child: ChildProcess | null = null
  const start = async () => {
    const c = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' })
    child = c
    await until(async () => (await pingable(port)) || c.exitCode !== null, `private redis on ${port}`)
    if (c.exitCode !== null) throw new Error(`redis-server exited with ${c.exitCode}`)
  }
  const stop = async () => {
    const c = child
    if (!c || c.exitCode !== null) return
    const exited = new Promise((resolve) => c.once('exit', resolve))
    c.kill('SIGKILL')
    await exited
    child = null
  }
  const signal = (sig: NodeJS.Signals) => { if (child && child.exitCode === null) child.kill(sig) }
  await start()
  return {
    url: `redis://127.0.0.1:${port}`, start, stop,
    pause: () => signal('SIGSTOP'),
    resume: () => signal('SIGCONT'),
    // A frozen server ignores SIGKILL's exit until thawed.
    close: async () => { signal('SIGCONT'); await stop(); remove() },
  }
}

async function pingable(port: number): Promise<boolean> {
  const r = new Redis(port, '127.0.0.1', { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
  r.on('error', () => {})
  try {
    await r.connect()
    return (await r.ping()) === 'PONG'
  } catch {
    return false
  } finally {
    r.disconnect()
  }
}

