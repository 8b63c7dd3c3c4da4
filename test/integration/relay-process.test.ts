import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { request } from 'node:https'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import WebSocket from 'ws'
import { afterEach, describe, expect, it } from 'vitest'
import type { ServerFrame } from '@parley/sdk/contract'
import { RelayProcess, createAgentWithCli, createBrandWithCli, loginAgent } from '../helpers/relay-process.js'
import { databaseFile } from '../../server/src/data-dir.js'
import { messagesInFileAlone } from '../helpers/checkpointed-messages.js'
import { tempDir } from '../helpers/temp-dir.js'
import { until } from '../helpers/until.js'
import { TestClient } from '../helpers/ws-client.js'

// The relay as operators run it: `parley start` in its own process, configured by flags and the
// environment, serving TLS itself and keeping message bodies and secrets out of its log.

const cleanup: (() => unknown)[] = []
afterEach(async () => { for (const c of cleanup.splice(0).reverse()) await c() })

function selfSignedCert(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem')
  const key = join(dir, 'key.pem')
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' })
  return { cert, key }
}

function httpsGet(url: string, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { ca }, (res) => {
      let body = ''
      res.on('data', (d: Buffer) => { body += d })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    }).on('error', reject).end()
  })
}

describe('parley start', () => {
  it('runs SQLite where --store-thread or PARLEY_STORE_THREAD says, auto by the core count, and stores on each', async () => {
    const dir = tempDir()
    cleanup.push(dir.remove)
    const brand = await createBrandWithCli(dir.dir, 'Thread brand', ['https://shop.example'])
    const cases: { args?: string[]; env?: Record<string, string>; expected: string }[] = [
      { expected: availableParallelism() >= 3 ? 'worker' : 'main' },
      { args: ['--store-thread', 'worker'], expected: 'worker' },
      { env: { PARLEY_STORE_THREAD: 'main' }, expected: 'main' },
    ]
    for (const [i, c] of cases.entries()) {
      const relay = await RelayProcess.start({ dataDir: dir.dir, ...(c.args ? { args: c.args } : {}), ...(c.env ? { env: c.env } : {}) })
      const listening = relay.logs.find((l) => (l as { msg?: string }).msg === 'relay listening') as { storeThread?: string }
      expect(listening.storeThread).toBe(c.expected)
      const { client } = await TestClient.visitor(relay.wsUrl, brand.siteKey)
      client.send({ type: 'message.send', convId: `thread-conv-${i}`, clientMsgId: 'm1', text: `stored with the store on ${c.expected}` })
      expect((await client.next('message.ack')).seq).toBe(1)
      client.close()
      await relay.kill('SIGTERM')
    }
  })

  it('checkpoints from its checkpointer thread with --store-thread worker: the database file alone soon holds what was acked', async () => {
    // The worker store leaves checkpoints to a thread of their own, started from a file beside the
    // bundle (parley-checkpointer.mjs); a checkpointer that failed to start would be silent (the WAL
    // would just grow), so this looks at what it does: copy the WAL's frames into the database file.
    const dir = tempDir()
    cleanup.push(dir.remove)
    const brand = await createBrandWithCli(dir.dir, 'Checkpoint brand', ['https://shop.example'])
    const relay = await RelayProcess.start({ dataDir: dir.dir, args: ['--store-thread', 'worker'] })
    cleanup.push(() => relay.kill('SIGTERM'))
    const { client } = await TestClient.visitor(relay.wsUrl, brand.siteKey)
    for (let i = 1; i <= 5; i++) {
      client.send({ type: 'message.send', convId: 'checkpointed', clientMsgId: `m${i}`, text: `message ${i}` })
      expect((await client.next('message.ack', (a) => a.clientMsgId === `m${i}`)).seq).toBe(i)
    }
    client.close()
    await until(() => messagesInFileAlone(databaseFile(dir.dir), dir.dir) === 5, 'the five messages in the database file alone')
  })

  it('runs as the parley command: the package bin, a committed file, runs the bundle with its arguments and exit code', () => {
    // npm links a bin at install only if its file exists; the bundle exists only after the build.
    const bin = fileURLToPath(new URL('../../server/bin/parley.mjs', import.meta.url))
    const pkg = JSON.parse(readFileSync(new URL('../../server/package.json', import.meta.url), 'utf8')) as { bin: Record<string, string> }
    expect(pkg.bin.parley).toBe('./bin/parley.mjs')
    expect(execFileSync(process.execPath, [bin, '--help'], { encoding: 'utf8' })).toContain('parley start')
    const refused = spawnSync(process.execPath, [bin, 'start', '--no-such-flag'], { encoding: 'utf8' })
    expect(refused.status).toBe(2)
    expect(refused.stderr).toMatch(/^parley: Unknown option '--no-such-flag'/)
  })

  it('refuses an unknown --store-thread before it listens', async () => {
    const dir = tempDir()
    cleanup.push(dir.remove)
    await expect(RelayProcess.start({ dataDir: dir.dir, args: ['--store-thread', 'both'] })).rejects.toThrow('--store-thread must be auto, worker or main')
  })

  it('says which heap settings it runs with: its own, or V8 defaults with PARLEY_HEAP_GROWTH=0', async () => {
    const listening = async (env: Record<string, string>) => {
      const dir = tempDir()
      cleanup.push(dir.remove)
      const relay = await RelayProcess.start({ dataDir: dir.dir, env })
      cleanup.push(() => relay.kill('SIGTERM'))
      return relay.logs.find((l) => (l as { msg?: string }).msg === 'relay listening') as { heapGrowth?: number }
    }
    expect((await listening({})).heapGrowth).toBe(20)
    expect((await listening({ PARLEY_HEAP_GROWTH: '0' })).heapGrowth).toBe(0)
  })

  it('refuses a PARLEY_HEAP_GROWTH that is not a whole percent before it listens', async () => {
    const dir = tempDir()
    cleanup.push(dir.remove)
    await expect(RelayProcess.start({ dataDir: dir.dir, env: { PARLEY_HEAP_GROWTH: '1.5' } })).rejects.toThrow('PARLEY_HEAP_GROWTH must be a whole number of percent')
  })

  it('serves https and wss itself when given PARLEY_TLS_CERT and PARLEY_TLS_KEY', async () => {
    const dir = tempDir()
    cleanup.push(dir.remove)
    const tls = selfSignedCert(dir.dir)
    const brand = await createBrandWithCli(dir.dir, 'TLS brand', ['https://shop.example'])
    const relay = await RelayProcess.start({ dataDir: dir.dir, env: { PARLEY_TLS_CERT: tls.cert, PARLEY_TLS_KEY: tls.key } })
    cleanup.push(() => relay.kill('SIGTERM'))
    expect(relay.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    const ca = readFileSync(tls.cert)

    const health = await httpsGet(`${relay.url}/healthz`, ca)
    expect(health).toEqual({ status: 200, body: JSON.stringify({ status: 'ok', protocol: 1 }) })

    const ws = new WebSocket(`${relay.url.replace(/^https/, 'wss')}/v1/live?site=${brand.siteKey}`, { ca, origin: 'https://shop.example' })
    const frames: ServerFrame[] = []
    ws.on('message', (d) => frames.push(JSON.parse(String(d)) as ServerFrame))
    await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject) })
    ws.send(JSON.stringify({ type: 'hello', protocol: 1, auth: { kind: 'visitor' } }))
    ws.send(JSON.stringify({ type: 'message.send', convId: 'tls-conv', clientMsgId: 'tls-1', text: 'over TLS' }))
    await expect.poll(() => frames.map((f) => f.type)).toEqual(['welcome', 'message.ack'])
    ws.close()
  })

  it('refuses plain http on its TLS port', async () => {
    const dir = tempDir()
    cleanup.push(dir.remove)
    const tls = selfSignedCert(dir.dir)
    const relay = await RelayProcess.start({ dataDir: dir.dir, env: { PARLEY_TLS_CERT: tls.cert, PARLEY_TLS_KEY: tls.key } })
    cleanup.push(() => relay.kill('SIGTERM'))
    const plain = relay.url.replace(/^https/, 'http')
    const answered = await fetch(`${plain}/healthz`).then((r) => r.status, () => 'refused')
    expect(answered).not.toBe(200)
  })

  it('never writes message bodies, tokens, passwords or API keys to its log, even at trace level', async () => {
    const dir = tempDir()
    cleanup.push(dir.remove)
    const brand = await createBrandWithCli(dir.dir, 'Log brand', ['https://shop.example'])
    const password = 'pw-NEVER-IN-LOGS-4711'
    await createAgentWithCli(dir.dir, { brandId: brand.brandId, email: 'quiet@agents.example', name: 'Quiet', password })
    const relay = await RelayProcess.start({ dataDir: dir.dir, args: ['--log-level', 'trace'] })
    const agentToken = await loginAgent(relay.url, { brandId: brand.brandId, email: 'quiet@agents.example', password })

    const { client: v, welcome } = await TestClient.visitor(relay.wsUrl, brand.siteKey)
    if (welcome.identity.kind !== 'visitor') throw new Error('expected a visitor welcome')
    const visitorToken = welcome.identity.token
    const { client: a } = await TestClient.agent(relay.wsUrl, agentToken)
    v.send({ type: 'message.send', convId: 'quiet-conv', clientMsgId: 'q1', text: 'BODY-NEVER-IN-LOGS card 4111 1111 1111 1111' })
    await v.next('message.ack')
    a.send({ type: 'conversation.join', convId: 'quiet-conv' })
    await a.next('conversation.joined')
    a.send({ type: 'message.send', convId: 'quiet-conv', clientMsgId: 'q2', text: 'REPLY-NEVER-IN-LOGS' })
    await v.next('message.new')
    // Bad input too: refused frames must not be echoed into the log either.
    v.send({ type: 'message.send', convId: 'quiet-conv', clientMsgId: 'q3', text: 'x'.repeat(5000) + 'LONG-NEVER-IN-LOGS' })
    await v.error('PARLEY_ERR_MESSAGE_TOO_LONG')
    const rest = await fetch(`${relay.url}/v1/conversations/quiet-conv/messages`, { headers: { authorization: `Bearer ${brand.apiKey}` } })
    expect(rest.status).toBe(200)
    // Search terms travel in the query string; a token pasted into an upgrade URL must not be echoed.
    const search = await fetch(`${relay.url}/v1/conversations?q=${encodeURIComponent('4111 1111 1111 1111 SEARCH-NEVER-IN-LOGS')}`, { headers: { authorization: `Bearer ${brand.apiKey}` } })
    expect(search.status).toBe(200)
    const pasted = await TestClient.connect(`${relay.wsUrl}?site=${brand.siteKey}&access_token=${visitorToken}`)
    pasted.close()
    v.close(); a.close()
    await relay.kill('SIGTERM')

    const everything = relay.logs.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + relay.stderr
    expect(relay.logs.length).toBeGreaterThan(10)
    for (const secret of ['BODY-NEVER-IN-LOGS', '4111 1111', '4111%201111', 'SEARCH-NEVER-IN-LOGS', 'REPLY-NEVER-IN-LOGS', 'LONG-NEVER-IN-LOGS', password, agentToken, visitorToken, brand.apiKey]) {
      expect(everything.includes(secret), `log contains ${secret.slice(0, 24)}`).toBe(false)
    }
  })
})
