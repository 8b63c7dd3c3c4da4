import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MessageAck } from '@parley/sdk/contract'
import { OutboxPump, type PlannedMessage } from '../helpers/outbox-pump.js'
import {
  RelayProcess, createAgentWithCli, createBrandWithCli, killRelayProcesses, loginAgent, type CliBrand,
} from '../helpers/relay-process.js'
import { databaseFile } from '../../server/src/data-dir.js'
import { createSqliteStore } from '../../server/src/store/sqlite/sqlite-store.js'
import { tempDir } from '../helpers/temp-dir.js'
import { until } from '../helpers/until.js'
import { TestClient } from '../helpers/ws-client.js'

// The durability proof. The relay runs as its own process; visitors and agents stream messages with
// several in flight; the relay is killed with SIGKILL mid-stream (twice), restarted on the same data
// dir, and every client reconnects and resends what was not acked with the same clientMsgId, as the
// widget's outbox does. Then the SQLite file itself is read and checked against what the clients saw.

const VISITORS = 10
const AGENTS = 2
const PER_VISITOR = 300
const REPLIES_PER_CONV = 30 // per agent and conversation
const WINDOW = 16
/** Kill when every sender has this share of its messages acked. */
const KILL_AT = [0.2, 0.55]
/** Acks per sender and kill that are sent again afterwards, to see the relay answer with the original. */
const RETRIED_PER_KILL = 5
const ORIGIN = 'http://localhost'
const RAISED_LIMITS = [
  '--messages-per-second', '100000', '--visitor-messages-per-second', '100000', '--frames-per-second', '100000',
  '--visitor-conversations-per-minute', '100000', '--ip-conversations-per-minute', '100000',
]

interface Sender {
  kind: 'visitor' | 'agent'
  /** visitorId or agentId, as the relay stores it in sender_id. */
  id: string
  /** Visitors: the newest welcome token; agents: the session token. */
  token: string
  pump: OutboxPump
  client: TestClient
}

interface MessageRow {
  conv_id: string; seq: number; client_msg_id: string; sender_kind: string; sender_id: string; text: string
}

interface KillRecord {
  inFlight: number
  /** Every ack each sender had received when the signal went out, by sender index. */
  acksBefore: Map<string, MessageAck>[]
}

function visitorPlan(v: number): PlannedMessage[] {
  return Array.from({ length: PER_VISITOR }, (_, i) => ({
    convId: `conv-${v}`, clientMsgId: `v${v}-m${i}`, text: `visitor ${v} message ${i}: héllo 👋 مرحبا`,
  }))
}

function agentPlan(a: number): PlannedMessage[] {
  const plan: PlannedMessage[] = []
  for (let r = 0; r < REPLIES_PER_CONV; r++) {
    for (let v = 0; v < VISITORS; v++) plan.push({ convId: `conv-${v}`, clientMsgId: `a${a}-c${v}-r${r}`, text: `agent ${a} reply ${r} to ${v}` })
  }
  return plan
}

async function connect(relay: RelayProcess, brand: CliBrand, s: { kind: 'visitor' | 'agent'; token: string | undefined }) {
  return s.kind === 'visitor'
    ? TestClient.visitor(relay.wsUrl, brand.siteKey, { origin: ORIGIN, ...(s.token ? { token: s.token } : {}) })
    : TestClient.agent(relay.wsUrl, s.token!)
}

// Both places the relay can run SQLite (--store-thread): the commit, then the ack, must hold for each.
describe.each(['worker', 'main'])('a relay with its store on the %s thread, killed with SIGKILL mid-stream and restarted', (storeThread) => {
  const dir = tempDir('parley-chaos-')
  const senders: Sender[] = []
  const kills: KillRecord[] = []
  const retryAcks: { original: MessageAck; again: MessageAck }[] = []
  let rows: MessageRow[] = []
  const lastSeqs = new Map<string, number>()
  let convIds: string[] = []

  beforeAll(async () => {
    const brand = await createBrandWithCli(dir.dir, 'Chaos brand', [ORIGIN])
    const agents = await Promise.all(Array.from({ length: AGENTS }, (_, a) => createAgentWithCli(dir.dir, {
      brandId: brand.brandId, email: `agent${a}@chaos.example`, name: `Agent ${a}`, password: 'correct horse battery',
    })))
    let relay = await RelayProcess.start({ dataDir: dir.dir, args: [...RAISED_LIMITS, '--store-thread', storeThread] })

    // Visitors open their conversations with their first message and keep streaming.
    for (let v = 0; v < VISITORS; v++) {
      const { client, welcome } = await connect(relay, brand, { kind: 'visitor', token: undefined })
      if (welcome.identity.kind !== 'visitor') throw new Error('expected a visitor identity')
      const s: Sender = { kind: 'visitor', id: welcome.identity.visitorId, token: welcome.identity.token, pump: new OutboxPump(visitorPlan(v), WINDOW), client }
      senders.push(s)
      s.pump.attach(client)
    }
    await Promise.all(senders.map((s) => s.pump.whenAcked(1)))
    // Agents join every conversation, then reply as fast as the relay acks.
    for (let a = 0; a < AGENTS; a++) {
      const token = await loginAgent(relay.url, { brandId: brand.brandId, email: agents[a]!.email, password: 'correct horse battery' })
      const { client } = await connect(relay, brand, { kind: 'agent', token })
      for (let v = 0; v < VISITORS; v++) client.send({ type: 'conversation.join', convId: `conv-${v}` })
      await until(() => client.all('conversation.joined').length >= VISITORS, 'agent joins')
      const s: Sender = { kind: 'agent', id: agents[a]!.agentId, token, pump: new OutboxPump(agentPlan(a), WINDOW), client }
      senders.push(s)
      s.pump.attach(client)
    }

    for (const share of KILL_AT) {
      await Promise.all(senders.map((s) => s.pump.whenAcked(Math.ceil(s.pump.plan.length * share))))
      const inFlight = senders.reduce((n, s) => n + s.pump.inFlight, 0)
      const acksBefore = senders.map((s) => new Map(s.pump.acks))
      await relay.kill('SIGKILL')
      kills.push({ inFlight, acksBefore })
      await Promise.all(senders.map((s) => s.client.closed()))
      relay = await relay.restart()
      for (const s of senders) {
        const { client, welcome } = await connect(relay, brand, s)
        if (welcome.identity.kind === 'visitor') s.token = welcome.identity.token
        s.client = client
        s.pump.attach(client)
      }
    }
    await Promise.all(senders.map((s) => s.pump.whenDone()))

    // A client that never saw an ack sends again; the relay must answer with the first ack.
    await Promise.all(senders.map(async (s, i) => {
      const originals = kills.flatMap((k) => [...k.acksBefore[i]!.values()].slice(-RETRIED_PER_KILL))
      for (const original of originals) {
        s.client.send({ type: 'message.send', ...s.pump.plan.find((p) => p.clientMsgId === original.clientMsgId)! })
      }
      const ackOf = (o: MessageAck) => s.client.all('message.ack', (f) => f.clientMsgId === o.clientMsgId)[0]
      await until(() => originals.every(ackOf), 'acks of resent messages')
      for (const original of originals) retryAcks.push({ original, again: ackOf(original)! })
    }))

    // Read what is on disk after one more crash, as the next relay would find it.
    await relay.kill('SIGKILL')
    const db = new Database(databaseFile(dir.dir), { readonly: true, fileMustExist: true })
    try {
      rows = db.prepare('SELECT conv_id, seq, client_msg_id, sender_kind, sender_id, text FROM messages WHERE brand_id = ? ORDER BY conv_id, seq')
        .all(brand.brandId) as MessageRow[]
      convIds = (db.prepare('SELECT conv_id FROM conversations WHERE brand_id = ?').all(brand.brandId) as { conv_id: string }[]).map((c) => c.conv_id)
    } finally {
      db.close()
    }
    // The conversations' lastSeq as the next relay's store reports it (the column on disk may lag
    // behind rows the store has not folded into its indexes yet; the store reads those back).
    const store = createSqliteStore({ file: databaseFile(dir.dir) })
    try {
      for (const convId of convIds) lastSeqs.set(convId, (await store.getConversation(brand.brandId, convId))?.lastSeq ?? -1)
    } finally {
      await store.close()
    }
  }, 60_000)

  afterAll(async () => {
    for (const s of senders) s.client.close()
    await killRelayProcesses()
    dir.remove()
  })

  const senderKey = (kind: string, id: string) => `${kind}:${id}`
  const planned = () => {
    const byKey = new Map<string, { sender: Sender; index: number; m: PlannedMessage }>()
    for (const sender of senders) {
      sender.pump.plan.forEach((m, index) => byKey.set(`${senderKey(sender.kind, sender.id)}/${m.clientMsgId}`, { sender, index, m }))
    }
    return byKey
  }

  it('kills the relay twice while messages are in flight', () => {
    expect(kills).toHaveLength(KILL_AT.length)
    for (const k of kills) expect(k.inFlight).toBeGreaterThan(0)
  })

  it('acks every message after the clients resend what was not acked', () => {
    for (const s of senders) expect(s.pump.acks.size).toBe(s.pump.plan.length)
    for (const s of senders) expect(s.pump.errors).toEqual([])
  })

  it('stores every acked message exactly once', () => {
    const count = new Map<string, number>()
    for (const r of rows) {
      const k = `${senderKey(r.sender_kind, r.sender_id)}/${r.client_msg_id}`
      count.set(k, (count.get(k) ?? 0) + 1)
    }
    for (const s of senders) {
      for (const ack of s.pump.acks.values()) expect(count.get(`${senderKey(s.kind, s.id)}/${ack.clientMsgId}`), ack.clientMsgId).toBe(1)
    }
    expect(new Set(rows.map((r) => r.text)).size).toBe(rows.length)
  })

  it('stores each message under the seq of its first ack, including acks received before a kill', () => {
    const stored = new Map(rows.map((r) => [`${senderKey(r.sender_kind, r.sender_id)}/${r.client_msg_id}`, r]))
    for (const s of senders) {
      for (const ack of s.pump.acks.values()) {
        const r = stored.get(`${senderKey(s.kind, s.id)}/${ack.clientMsgId}`)
        expect({ convId: r?.conv_id, seq: r?.seq }, ack.clientMsgId).toEqual({ convId: ack.convId, seq: ack.seq })
      }
    }
    expect(kills.every((k) => k.acksBefore.some((m) => m.size > 0))).toBe(true)
  })

  it('answers a resend of a message acked before a kill with the original ack', () => {
    expect(retryAcks.length).toBe(senders.length * kills.length * RETRIED_PER_KILL)
    for (const { original, again } of retryAcks) expect(again).toEqual(original)
    for (const s of senders) expect(s.pump.changedAcks).toEqual([])
  })

  it('numbers each conversation contiguously from 1 with no gaps', () => {
    const seqs = new Map<string, number[]>()
    for (const r of rows) seqs.set(r.conv_id, [...(seqs.get(r.conv_id) ?? []), r.seq])
    expect(seqs.size).toBe(VISITORS)
    for (const [convId, list] of seqs) {
      const n = PER_VISITOR + AGENTS * REPLIES_PER_CONV
      expect(list, convId).toEqual(Array.from({ length: n }, (_, i) => i + 1))
      expect(lastSeqs.get(convId), convId).toBe(n)
    }
  })

  it("keeps each sender's messages in the order it sent them", () => {
    const plan = planned()
    const lastIndex = new Map<string, number>()
    for (const r of rows) {
      const k = `${senderKey(r.sender_kind, r.sender_id)}|${r.conv_id}`
      const index = plan.get(`${senderKey(r.sender_kind, r.sender_id)}/${r.client_msg_id}`)?.index ?? -1
      expect(index, `${r.client_msg_id} at seq ${r.seq}`).toBeGreaterThan(lastIndex.get(k) ?? -1)
      lastIndex.set(k, index)
    }
  })

  it('stores no message that no client sent', () => {
    const plan = planned()
    const phantoms = rows.filter((r) => {
      const p = plan.get(`${senderKey(r.sender_kind, r.sender_id)}/${r.client_msg_id}`)
      return !p || p.m.text !== r.text || p.m.convId !== r.conv_id
    })
    expect(phantoms).toEqual([])
    expect(rows.length).toBe(VISITORS * PER_VISITOR + AGENTS * VISITORS * REPLIES_PER_CONV)
  })
})

describe('a relay stopped with SIGTERM', () => {
  const dir = tempDir('parley-chaos-')
  let clients: TestClient[] = []
  let exit: { code: number | null; signal: NodeJS.Signals | null } | null = null

  beforeAll(async () => {
    const brand = await createBrandWithCli(dir.dir, 'Shutdown brand', [ORIGIN])
    const agent = await createAgentWithCli(dir.dir, { brandId: brand.brandId, email: 'agent@shutdown.example', name: 'Agent', password: 'correct horse battery' })
    const relay = await RelayProcess.start({ dataDir: dir.dir })
    const { client: visitor } = await connect(relay, brand, { kind: 'visitor', token: undefined })
    visitor.send({ type: 'message.send', convId: 'conv-1', clientMsgId: 'm1', text: 'hello' })
    await visitor.next('message.ack')
    const token = await loginAgent(relay.url, { brandId: brand.brandId, email: agent.email, password: 'correct horse battery' })
    const { client: agentClient } = await connect(relay, brand, { kind: 'agent', token })
    clients = [visitor, agentClient]
    exit = await relay.kill('SIGTERM')
    await Promise.all(clients.map((c) => c.closed()))
  })

  afterAll(async () => {
    await killRelayProcesses()
    dir.remove()
  })

  it('tells every connected client PARLEY_ERR_SERVER_SHUTTING_DOWN', () => {
    for (const c of clients) expect(c.all('error').map((e) => e.code)).toContain('PARLEY_ERR_SERVER_SHUTTING_DOWN')
  })

  it('closes every connection with code 1012', () => {
    expect(clients.map((c) => c.closeCode)).toEqual([1012, 1012])
  })

  it('exits with code 0', () => {
    expect(exit).toEqual({ code: 0, signal: null })
  })
})
