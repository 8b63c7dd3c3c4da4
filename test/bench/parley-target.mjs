import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { spawnNode, stopChild } from './child.mjs'
import { registerCleanup } from './lifecycle.mjs'
import { mapConcurrent } from './map-concurrent.mjs'
import { describeEarlyExit } from './early-exit.mjs'

// Starts Parley's relay the way an operator would (the built CLI, a fresh SQLite data dir), with
// every rate and connection limit raised out of the way: the benchmark measures the relay's
// capacity, not its abuse protection. Then creates a brand and agent(s) and logs the agents in.
// The first agent comes from the CLI, as an operator makes one; the rest through the brand API
// (POST /v1/agents), because 200 CLI processes would take longer than the benchmark itself.

const run = promisify(execFile)
const CLI = fileURLToPath(new URL('../../server/dist/parley.mjs', import.meta.url))
// The brand's allowed origin; visitor sockets present it as a browser on that site would.
const ORIGIN = 'http://localhost'
const BENCH_LIMIT_FLAGS = [
  '--messages-per-second', '1000000',
  '--visitor-messages-per-second', '1000000',
  '--frames-per-second', '1000000',
  '--connections-per-ip', '100000',
  '--visitor-conversations-per-minute', '1000000',
  '--ip-conversations-per-minute', '1000000',
  // 200 agents are created and sign in from this one address.
  '--agent-logins-per-ip-per-minute', '1000000',
  '--rest-requests-per-minute', '1000000',
  '--send-queue-bytes', '67108864',
]
const START_TIMEOUT_MS = 30_000
// Agent creation and login each cost one scrypt hash on the relay (libuv's 4-thread pool).
const SETUP_CONCURRENCY = 4

/**
 * Starts Parley with `agentCount` agents (agent connection i logs in as agent i % agentCount),
 * `nodeArgs` before the script on the relay's command line (profiling flags) and, when given, a
 * `masking` configuration saved for the brand (else the defaults: cards and security codes); resolves
 * with the target description the loadgen needs, plus `stop()` (which also removes the data dir)
 * and `notes()` (warnings the relay logged during the run). `env` goes to every CLI command and
 * relay (e.g. DATABASE_URL); `nodeEnvs` starts one relay process per entry, each with that entry
 * added to its environment (two nodes: the target gets `peerUrl` and `pids`, see node-urls.mjs).
 */
export async function startParley({ agentCount = 1, nodeArgs = [], masking = null, env = {}, nodeEnvs = [{}], name = 'parley' } = {}) {
  if (!existsSync(CLI)) throw new Error('server/dist/parley.mjs does not exist; build the relay first (npm run build)')
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-'))
  const removeDataDir = () => rmSync(dataDir, { recursive: true, force: true, maxRetries: 3 })
  const unregister = registerCleanup(removeDataDir)
  try {
    return await startIn({ dataDir, agentCount, nodeArgs, masking, env, nodeEnvs, name }, () => {
      removeDataDir()
      unregister()
    })
  } catch (err) {
    removeDataDir()
    unregister()
    throw err
  }
}

async function startIn({ dataDir, agentCount, nodeArgs, masking, env, nodeEnvs, name }, removeDataDir) {
  const cli = (args, key) => cliJson(args, key, env)
  const brand = await cli(['brand', 'create', '--data-dir', dataDir, '--name', 'Bench', '--origin', ORIGIN, '--json'], 'brandId')
  const agents = Array.from({ length: agentCount }, (_, i) => ({ email: `a${i + 1}@bench.test`, name: `A${i + 1}`, password: `benchpassword${i + 1}` }))
  const [first, ...rest] = agents
  await cli(['agent', 'create', '--data-dir', dataDir, '--brand', brand.brandId, '--email', first.email, '--name', first.name, '--password', first.password, '--json'], 'agentId')

  const logged = { warn: 0, error: 0, samples: [] }
  const nodes = nodeEnvs.map((nodeEnv, i) => spawnNode(nodeEnvs.length > 1 ? `parley relay node ${i + 1}` : 'parley relay', [
    ...nodeArgs, CLI, 'start', '--data-dir', dataDir, '--port', '0', '--host', '127.0.0.1', '--no-demo', ...BENCH_LIMIT_FLAGS,
  ], { env: { ...process.env, ...env, ...nodeEnv }, onJson: (line) => countLogLine(line, logged), echoStderr: Boolean(process.env.BENCH_RELAY_STDERR) }))
  const stopNodes = () => Promise.all(nodes.map((node) => stopChild(node)))
  try {
    const listening = await Promise.all(nodes.map((node) => node.waitForJson((line) => line.msg === 'relay listening' && typeof line.url === 'string', START_TIMEOUT_MS)))
    const [httpUrl, ...peerHttpUrls] = listening.map((line) => line.url.replace(/\/$/, ''))
    if (masking) await putJson(`${httpUrl}/v1/masking`, masking, 'save masking config', { authorization: `Bearer ${brand.apiKey}` })
    await mapConcurrent(rest, SETUP_CONCURRENCY, (agent) => createAgent(httpUrl, brand.apiKey, agent))
    const agentTokens = await mapConcurrent(agents, SETUP_CONCURRENCY, (agent) => login(httpUrl, brand.brandId, agent))
    const liveUrl = (url) => `${url.replace(/^http/, 'ws')}/v1/live`
    return {
      name,
      protocol: 'parley',
      url: liveUrl(httpUrl),
      ...(peerHttpUrls.length ? { peerUrl: liveUrl(peerHttpUrls[0]) } : {}),
      pid: nodes[0].pid,
      pids: nodes.map((node) => node.pid),
      brandId: brand.brandId,
      siteKey: brand.siteKey,
      origin: ORIGIN,
      agentTokens,
      async stop() {
        const exits = await stopNodes()
        removeDataDir()
        return exits[0]
      },
      notes: () => [...describeLog(logged), ...nodes.flatMap((node) => describeEarlyExit(node))],
    }
  } catch (err) {
    // If a relay died during setup, its last log lines say why; the fetch error would not.
    const died = nodes.filter((node) => node.exitCode !== null || node.signalCode !== null)
    await stopNodes()
    for (const node of died) err.message += `\nrelay exited (code ${node.exitCode}, signal ${node.signalCode}); its last output:\n${node.tail()}`
    throw err
  }
}

// Runs one CLI command and returns the JSON object on its stdout that has `key`; log lines the
// CLI may print around it are skipped.
async function cliJson(args, key, env = {}) {
  let stdout
  try {
    ({ stdout } = await run(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, timeout: 60_000, maxBuffer: 16 * 1024 * 1024 }))
  } catch (err) {
    throw new Error(`parley ${args.slice(0, 2).join(' ')} failed (exit ${err.code}): ${tail(err.stderr || err.stdout || err.message)}`)
  }
  for (const line of stdout.split('\n').reverse()) {
    if (!line.startsWith('{')) continue
    try {
      const obj = JSON.parse(line)
      if (key in obj) return obj
    } catch {
      // not JSON after all; keep looking
    }
  }
  throw new Error(`parley ${args.slice(0, 2).join(' ')} printed no JSON with "${key}": ${tail(stdout)}`)
}

async function createAgent(httpUrl, apiKey, { email, name, password }) {
  await postJson(`${httpUrl}/v1/agents`, { email, name, password }, `create agent ${email}`, { authorization: `Bearer ${apiKey}` })
}

async function login(httpUrl, brandId, { email, password }) {
  const session = await postJson(`${httpUrl}/v1/agent/sessions`, { brandId, email, password }, `agent login ${email}`)
  if (typeof session.token !== 'string') throw new Error(`agent login ${email}: no token in response`)
  return session.token
}

function putJson(url, body, what, headers = {}) {
  return postJson(url, body, what, headers, 'PUT')
}

async function postJson(url, body, what, headers = {}, method = 'POST') {
  let response
  try {
    response = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    })
  } catch (err) {
    // fetch hides the socket-level reason in `cause`; that reason is the useful part.
    throw new Error(`${what}: ${err.message}${err.cause ? ` (${err.cause.code ?? ''} ${err.cause.message ?? err.cause})` : ''}`)
  }
  const text = await response.text()
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${tail(text)}`)
  return JSON.parse(text)
}

// pino levels: 40 warn, 50 error, 60 fatal.
function countLogLine(line, logged) {
  if (typeof line.level !== 'number' || line.level < 40) return
  logged[line.level >= 50 ? 'error' : 'warn']++
  if (logged.samples.length < 5) logged.samples.push(`${line.level >= 50 ? 'error' : 'warn'}: ${line.msg}${line.code ? ` (${line.code})` : ''}`)
}

function describeLog(logged) {
  if (logged.warn === 0 && logged.error === 0) return []
  return [`relay logged ${logged.warn} warn and ${logged.error} error lines, e.g. ${logged.samples.join('; ')}`]
}

function tail(text) {
  const s = String(text).trim()
  return s.length > 500 ? `…${s.slice(-500)}` : s
}
