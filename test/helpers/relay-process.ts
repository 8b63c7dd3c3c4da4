import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

// The relay as its own operating-system process, built from server/dist (run `npm run build` first).
// Chaos tests need this: a relay inside the test process cannot be killed with SIGKILL, and only a
// real process crash shows what the database holds when nothing gets to clean up.

/** The built command-line entry point. */
export const CLI = fileURLToPath(new URL('../../server/dist/parley.mjs', import.meta.url))

/** How a relay process ended. */
export interface ProcessExit {
  code: number | null
  signal: NodeJS.Signals | null
}

/** What to start a relay with. */
export interface RelayProcessOptions {
  dataDir: string
  /** Extra `start` arguments, e.g. raised limits: ['--messages-per-second', '100000']. */
  args?: readonly string[]
  /** Extra environment variables for the child. */
  env?: Readonly<Record<string, string>>
  /**
   * How long to wait for the "relay listening" line; default 25 s, under the 30 s hook timeout. The
   * demo relay took 13.7 s to start on the shared 2-core machine with two test files running, so a
   * 15 s wait failed whole browser suites that test nothing about start-up time.
   */
  startTimeoutMs?: number
}

const live = new Set<ChildProcess>()

function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error('server/dist/parley.mjs is missing; build first (npm run build)')
}

/** A relay running as a child process on an ephemeral port of 127.0.0.1. */
export class RelayProcess {
  readonly options: RelayProcessOptions
  readonly child: ChildProcess
  /** http://127.0.0.1:PORT, from the relay's own "relay listening" log line. */
  readonly url: string
  /** ws://127.0.0.1:PORT/v1/live */
  readonly wsUrl: string
  /** Every stdout line the relay printed (pino JSON), parsed when it was JSON. */
  readonly logs: unknown[]
  /** Settles when the process has exited, however it ended. */
  readonly exited: Promise<ProcessExit>
  readonly #stderr: string[]

  private constructor(options: RelayProcessOptions, child: ChildProcess, url: string, logs: unknown[], stderr: string[], exited: Promise<ProcessExit>) {
    this.options = options
    this.child = child
    this.url = url
    this.wsUrl = `${url.replace(/^http/, 'ws')}/v1/live`
    this.logs = logs
    this.#stderr = stderr
    this.exited = exited
  }

  /**
   * Spawns `parley.mjs start` (the bundle `npm run build` makes) on `dataDir` (port 0) and resolves once it logs that it is listening (with
   * --demo, the demo site too). With --demo the site takes the relay's port + 1, which another test
   * may hold: a start that fails on a taken address is tried again (on a new ephemeral port).
   */
  static async start(options: RelayProcessOptions): Promise<RelayProcess> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await RelayProcess.#startOnce(options)
      } catch (err) {
        if (attempt >= 3 || !String((err as Error).message).includes('EADDRINUSE')) throw err
      }
    }
  }

  static #startOnce(options: RelayProcessOptions): Promise<RelayProcess> {
    assertBuilt()
    const args = [CLI, 'start', '--data-dir', options.dataDir, '--port', '0', '--host', '127.0.0.1', ...(options.args ?? [])]
    const child = spawn(process.execPath, args, {
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    live.add(child)
    const logs: unknown[] = []
    const stderr: string[] = []
    const exited = new Promise<ProcessExit>((resolve) => {
      child.once('exit', (code, signal) => {
        live.delete(child)
        resolve({ code, signal })
      })
    })
    child.stderr!.setEncoding('utf8')
    child.stderr!.on('data', (chunk: string) => { stderr.push(chunk) })

    const demo = (options.args ?? []).includes('--demo')
    let url: string | null = null
    return new Promise<RelayProcess>((resolve, reject) => {
      let settled = false
      const fail = (why: string) => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        child.kill('SIGKILL')
        reject(new Error(`relay did not start: ${why}\nstderr: ${stderr.join('').slice(-2000)}`))
      }
      const timer = setTimeout(() => fail('no "relay listening" line in time'), options.startTimeoutMs ?? 25_000)
      void exited.then((e) => fail(`exited early (code ${e.code}, signal ${e.signal})`))
      child.once('error', (err) => fail(err.message))
      createInterface({ input: child.stdout! }).on('line', (line) => {
        let entry: unknown = line
        try { entry = JSON.parse(line) } catch { /* not JSON: keep the raw line */ }
        logs.push(entry)
        const e = entry as { msg?: unknown; url?: unknown }
        if (e && e.msg === 'relay listening' && typeof e.url === 'string') url = e.url
        // With --demo the relay writes demo.json and starts the demo site after it listens: wait for both.
        const ready = url !== null && (!demo || (e && e.msg === 'demo site listening'))
        if (!settled && ready) {
          settled = true
          clearTimeout(timer)
          resolve(new RelayProcess(options, child, url!, logs, stderr, exited))
        }
      })
    })
  }

  /** The process id. */
  get pid(): number {
    return this.child.pid!
  }

  /** What the relay wrote to stderr so far. */
  get stderr(): string {
    return this.#stderr.join('')
  }

  /** Sends `signal` and resolves once the process has exited. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<ProcessExit> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal)
    return this.exited
  }

  /** Starts a new relay on the same data dir with the same options; the port may differ. */
  async restart(): Promise<RelayProcess> {
    await this.kill('SIGKILL')
    return RelayProcess.start(this.options)
  }
}

/** Kills (SIGKILL) every relay process this module started that is still running: for afterAll. */
export async function killRelayProcesses(): Promise<void> {
  const waits = [...live].map((c) => new Promise<void>((resolve) => {
    c.once('exit', () => resolve())
    c.kill('SIGKILL')
  }))
  await Promise.all(waits)
}

/** Runs a one-shot CLI command (e.g. `brand create ... --json`) and returns its JSON output line. */
export function runCli<T = Record<string, unknown>>(args: readonly string[], env: Readonly<Record<string, string>> = {}): Promise<T> {
  assertBuilt()
  return new Promise<T>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d })
    child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d })
    child.once('error', reject)
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`parley ${args.slice(0, 2).join(' ')} exited ${code}: ${err.trim()}`))
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as T)
      } catch {
        reject(new Error(`parley ${args.slice(0, 2).join(' ')} printed no JSON: ${out.slice(0, 500)}`))
      }
    })
  })
}

/** How a CLI run that was expected to end ended, with what it printed. */
export interface CliExit {
  code: number | null
  stdout: string
  stderr: string
}

/**
 * Runs the CLI and resolves once it exits, however it ends; rejects (after killing it) when it is
 * still running after `timeoutMs`: a start that fails must exit, not hang.
 */
export function runCliToExit(args: readonly string[], env: Readonly<Record<string, string>> = {}, timeoutMs = 10_000): Promise<CliExit> {
  assertBuilt()
  return new Promise<CliExit>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d })
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d })
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`parley ${args.slice(0, 2).join(' ')} still running after ${timeoutMs} ms; stderr: ${stderr.slice(-1000)}`))
    }, timeoutMs)
    child.once('error', reject)
    child.once('exit', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}

/** A brand created with the CLI, with the credentials it printed. */
export interface CliBrand {
  brandId: string
  siteKey: string
  apiKey: string
  allowedOrigins: string[]
}

/** `parley brand create --json` on `dataDir`. */
export function createBrandWithCli(dataDir: string, name: string, origins: readonly string[]): Promise<CliBrand> {
  return runCli<CliBrand>(['brand', 'create', '--data-dir', dataDir, '--name', name, ...origins.flatMap((o) => ['--origin', o]), '--json'])
}

/** An agent created with the CLI. */
export interface CliAgent {
  agentId: string
  brandId: string
  email: string
  name: string
}

/** `parley agent create --json` on `dataDir`. */
export function createAgentWithCli(dataDir: string, a: { brandId: string; email: string; name: string; password: string }): Promise<CliAgent> {
  return runCli<CliAgent>(['agent', 'create', '--data-dir', dataDir, '--brand', a.brandId, '--email', a.email, '--name', a.name, '--password', a.password, '--json'])
}

/** Logs an agent in over REST and returns the session token. */
export async function loginAgent(url: string, a: { brandId: string; email: string; password: string }): Promise<string> {
  const res = await fetch(`${url}/v1/agent/sessions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ brandId: a.brandId, email: a.email, password: a.password }),
  })
  if (res.status !== 200) throw new Error(`agent login failed: ${res.status} ${await res.text()}`)
  return ((await res.json()) as { token: string }).token
}
