import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { ADMIN_URL, adminQuery, describeWithPostgres } from '../../helpers/postgres.js'
import { REDIS_URL } from '../../helpers/redis.js'
import { freePortPair } from '../../helpers/free-port.js'
import { loginAgent } from '../../helpers/relay-process.js'
import { liveClient } from '../../helpers/live-client.js'
import { tempDir } from '../../helpers/temp-dir.js'
import { until } from '../../helpers/until.js'

// examples/cluster/start.mjs as a user runs it, on this machine's PostgreSQL and Redis: it creates
// its database and roles, starts two nodes and the balancer; a visitor and an agent chat through
// the balancer (round robin: they land on different nodes); Ctrl-C stops everything.

const START = fileURLToPath(new URL('../../../examples/cluster/start.mjs', import.meta.url))

describeWithPostgres('examples/cluster/start.mjs', () => {
  const dir = tempDir('parley-cluster-example-')
  const database = `parley_example_${process.pid}`
  let child: ChildProcess
  let port: number
  const out: string[] = []
  beforeAll(async () => {
    port = await freePortPair()
    const [a, b] = [await freePortPair(), await freePortPair()]
    child = spawn(process.execPath, [START], {
      env: {
        ...process.env, PARLEY_ADMIN_DATABASE_URL: ADMIN_URL, REDIS_URL, PORT: String(port), PARLEY_CLUSTER_DIR: dir.dir,
        PARLEY_CLUSTER_DATABASE: database, PARLEY_CLUSTER_NODE_PORTS: `${a},${b}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    createInterface({ input: child.stdout! }).on('line', (line) => out.push(line))
    child.stderr!.on('data', (d: Buffer) => out.push(String(d)))
    await until(() => {
      if (child.exitCode !== null) throw new Error(`start.mjs exited ${child.exitCode}: ${out.join('\n')}`)
      return out.some((l) => l.includes('Ctrl-C stops'))
    }, 'the cluster to start', 60_000)
  })
  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL')
    await adminQuery(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`)
    dir.remove()
  })

  it('serves a chat and the demo page through the balancer, and stops on Ctrl-C', async () => {
    const demo = JSON.parse(readFileSync(join(dir.dir, 'node-a', 'demo.json'), 'utf8')) as { brandId: string; siteKey: string; agentEmail: string; agentPassword: string }
    expect(JSON.parse(readFileSync(join(dir.dir, 'node-b', 'demo.json'), 'utf8'))).toEqual(demo)
    const page = await fetch(`http://127.0.0.1:${port + 1}/`)
    expect(await page.text()).toContain(demo.siteKey)
    expect(page.headers.get('content-security-policy')).toContain(`http://localhost:${port}`)

    const lb = `ws://127.0.0.1:${port}/v1/live`
    const token = await loginAgent(`http://127.0.0.1:${port}`, { brandId: demo.brandId, email: demo.agentEmail, password: demo.agentPassword })
    const agent = liveClient({ url: lb, auth: { kind: 'agent', token } })
    await agent.open()
    const visitor = liveClient({ url: `${lb}?site=${demo.siteKey}`, auth: { kind: 'visitor' } })
    await visitor.open()
    try {
      const convId = visitor.conn.newConversationId()
      await visitor.conn.send(convId, 'hello through the balancer')
      await until(() => agent.frames.some((f) => f.type === 'conversation.opened' && f.convId === convId), 'the agent sees the chat')
      await agent.conn.request({ type: 'conversation.join', convId, ref: 'join' })
      await agent.conn.send(convId, 'hello back')
      await until(() => visitor.texts(convId).includes('hello back'), 'the visitor gets the reply')
      await until(() => agent.texts(convId).includes('hello through the balancer'), 'the agent holds the first message')
    } finally {
      await visitor.conn.stop()
      await agent.conn.stop()
    }

    child.kill('SIGINT')
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)))
    expect(code).toBe(0)
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow()
  })
})
