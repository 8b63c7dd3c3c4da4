import { describe, expect, it } from 'vitest'
import { createConnection, createMemoryStorage, type KeyValueStorage } from '../../../../sdk/src/connection/connection.js'
import { createFakeSockets, createManualClock, welcomeFrame } from '../../../helpers/fake-socket.js'
import { until } from '../../../helpers/until.js'

// The connection client owns its keys in the storage (outbox, resume positions, token): the widget
// and the console ask it through methods instead of writing them. And what an earlier version
// stored stays readable, so a visitor upgrading mid-conversation keeps their queued messages.

function client(storage: KeyValueStorage, extra: { restoreCursors?: boolean } = {}) {
  const { sockets, WebSocket } = createFakeSockets()
  const conn = createConnection({
    url: 'ws://localhost/v1/live', auth: { kind: 'visitor' }, WebSocket, storage, clock: createManualClock(), ...extra,
  })
  return { conn, sockets }
}

async function helloOf(c: ReturnType<typeof client>) {
  c.conn.start()
  await until(() => c.sockets.length === 1, 'socket')
  c.sockets[0]!.open()
  return c.sockets[0]!.sent.find((f) => f.type === 'hello')!
}

describe('connection client storage', () => {
  it('sends the outbox an earlier version left in storage, with its ids, once connected', async () => {
    const storage = createMemoryStorage()
    // Exactly what the previous release wrote: one key per entry under the prefix.
    const old = { convId: 'c1', clientMsgId: 'old1', text: 'typed before the upgrade', createdAt: 5, owner: 'gone-tab' }
    await storage.set('parley:outbox:old1', old)
    await storage.set('parley:seq:c1', 3)
    const c = client(storage)
    expect(await c.conn.outbox()).toEqual([old])
    await helloOf(c)
    c.sockets[0]!.receive(welcomeFrame())
    await until(() => c.sockets[0]!.sent.some((f) => f.type === 'message.send'), 'sent')
    expect(c.sockets[0]!.sent.filter((f) => f.type === 'message.send')).toEqual([
      { type: 'message.send', convId: 'c1', clientMsgId: 'old1', text: 'typed before the upgrade' },
    ])
    await c.conn.stop()
  })

  it('resumes from the point set with setResumePoint, even behind the stored one, and keeps it for the next page', async () => {
    const storage = createMemoryStorage()
    await storage.set('parley:seq:c1', 9)
    const c = client(storage)
    await c.conn.setResumePoint('c1', 4)
    expect((await helloOf(c)).resume).toEqual([{ convId: 'c1', afterSeq: 4 }])
    await c.conn.stop()
    expect(await storage.get('parley:seq:c1')).toBe(4)
  })

  it('with restoreCursors off, resumes nothing an earlier page stored and deletes those positions', async () => {
    const storage = createMemoryStorage()
    await storage.set('agent:a1:seq:c1', 9)
    await storage.set('agent:a1:outbox:m1', { convId: 'c1', clientMsgId: 'm1', text: 'reply', createdAt: 1, owner: 'o' })
    const { sockets, WebSocket } = createFakeSockets()
    const conn = createConnection({
      url: 'ws://localhost/v1/live', auth: { kind: 'agent', token: 't' }, WebSocket, storage, storagePrefix: 'agent:a1:',
      clock: createManualClock(), restoreCursors: false,
    })
    conn.start()
    await until(() => sockets.length === 1, 'socket')
    sockets[0]!.open()
    expect(sockets[0]!.sent.find((f) => f.type === 'hello')!.resume).toBeUndefined()
    expect(await storage.keys('agent:a1:seq:')).toEqual([])
    expect(await conn.outbox()).toHaveLength(1)
    await conn.stop()
  })

  describe('a stored visitor token past its expiry', () => {
    // The manual clock starts at 1,000,000 ms: 1,000 s.
    const token = (exp: unknown) => `eyJhbGciOiJIUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: 'v_old', exp })).toString('base64url')}.sig`
    async function seed(storage: KeyValueStorage, t: string) {
      await storage.set('parley:token', t)
      await storage.set('parley:seq:c1', 3)
      await storage.set('parley:held:m1', { convId: 'c1', seq: 3, clientMsgId: 'm1', text: 'old', at: 1, from: { kind: 'visitor', id: 'v_old' } })
      await storage.set('parley:outbox:m2', { convId: 'c1', clientMsgId: 'm2', text: 'never sent', createdAt: 5, owner: 'gone-tab' })
    }

    it('ends the visit: token, resume positions and held messages go, the unsent outbox stays, and hello starts a new visitor', async () => {
      const storage = createMemoryStorage()
      await seed(storage, token(999))
      const c = client(storage)
      expect(await c.conn.visitExpired()).toBe(true)
      expect((await storage.keys('parley:')).sort()).toEqual(['parley:outbox:m2'])
      const hello = await helloOf(c)
      expect(hello).toMatchObject({ auth: { kind: 'visitor' } })
      expect(hello).not.toHaveProperty('auth.token')
      expect(hello).not.toHaveProperty('resume')
      await c.conn.stop()
    })

    it('keeps a token still valid, and one whose expiry it cannot read (the relay decides)', async () => {
      for (const t of [token(1001), token('soon'), 'not-a-jwt']) {
        const storage = createMemoryStorage()
        await seed(storage, t)
        const c = client(storage)
        expect(await c.conn.visitExpired(), t).toBe(false)
        expect((await helloOf(c) as unknown as { auth: { token?: string } }).auth.token).toBe(t)
        expect(await storage.keys('parley:held:')).toEqual(['parley:held:m1'])
        await c.conn.stop()
      }
    })
  })
})
