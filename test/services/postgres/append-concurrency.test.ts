import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Participant } from '@parley/sdk/contract'
import type { AppendRequest, AppendResult } from '../../../server/src/store/store.js'
import { describeWithPostgres, usePostgresStores } from '../../helpers/postgres.js'

// The group commit on PostgreSQL under writers on several nodes: three stores with pools of their
// own (three relay nodes) on one database append to the same conversations at once, each message
// sent through two nodes (a client that resent it elsewhere after a dropped connection). seq is
// last_seq + 1 under the conversation's row lock, so every conversation must hold exactly 1..n;
// the unique client id must store each message once and answer every resend with the stored row.
// The rows themselves are read as the owner role, past row-level security and the store.

const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`

const NODES = 3
const CONVERSATIONS = 10

function msg(brandId: string, from: Participant, convId: string, clientMsgId: string, at = 2000): AppendRequest {
  return { brandId, convId, clientMsgId, from, text: `text of ${from.kind} ${clientMsgId}`, at, context: null }
}

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[out[i], out[j]] = [out[j]!, out[i]!]
  }
  return out
}

/** An answer of one node to one request. */
interface Answer { req: AppendRequest; result: AppendResult }

describeWithPostgres('PostgreSQL appendMessages on several nodes at once', () => {
  const suite = usePostgresStores({ nodes: NODES })
  const { nodes } = suite
  let owner: pg.Pool
  beforeAll(() => { owner = new pg.Pool({ connectionString: suite.db.ownerUrl, max: 2 }) })
  afterAll(async () => { await owner?.end() })

  async function newBrand(): Promise<string> {
    const brandId = id('b_')
    await nodes[0]!.createBrand({ brandId, name: 'Brand', siteKey: id('site_'), allowedOrigins: [], apiKeyHash: id('hash_'), createdAt: 1000 })
    return brandId
  }

  async function newAgent(brandId: string): Promise<Participant> {
    const agentId = id('a_')
    await nodes[0]!.createAgent({ brandId, agentId, email: `${agentId}@agents.example`, name: 'Dana', passwordHash: 'x', createdAt: 1000 })
    return { kind: 'agent', id: agentId, name: 'Dana' }
  }

  /** The stored (seq, clientMsgId, sender kind) of a conversation, in seq order, past row-level security. */
  async function stored(brandId: string, convId: string): Promise<{ seq: number; client_msg_id: string; sender_kind: string }[]> {
    return (await owner.query('SELECT seq, client_msg_id, sender_kind FROM messages WHERE brand_id = $1 AND conv_id = $2 ORDER BY seq', [brandId, convId])).rows
  }

  async function lastSeq(brandId: string, convId: string): Promise<number | undefined> {
    return (await nodes[2]!.getConversation(brandId, convId))?.lastSeq
  }

  /**
   * Sends each request through two of the nodes, every node its share shuffled in batches of
   * `size`, two batches in flight per node, all nodes at once; every answer each node gave.
   */
  async function race(reqs: readonly AppendRequest[], size = 10): Promise<Answer[]> {
    const answers: Answer[] = []
    await Promise.all(nodes.map(async (node, n) => {
      const share = shuffled(reqs.filter((_, i) => i % NODES !== n))
      const batches: AppendRequest[][] = []
      for (let i = 0; i < share.length; i += size) batches.push(share.slice(i, i + size))
      const lane = async () => {
        for (let b = batches.shift(); b; b = batches.shift()) {
          const results = await node.appendMessages(b)
          results.forEach((result, i) => answers.push({ req: b[i]!, result }))
        }
      }
      await Promise.all([lane(), lane()])
    }))
    return answers
  }

  /** The answers grouped by (sender, clientMsgId, conversation). */
  function bySender(answers: readonly Answer[]): Map<string, Answer[]> {
    const out = new Map<string, Answer[]>()
    for (const a of answers) {
      const key = `${a.req.from.kind}:${a.req.from.id}:${a.req.clientMsgId}:${a.req.convId}`
      out.set(key, [...(out.get(key) ?? []), a])
    }
    return out
  }

  /** Each message was stored once and every other answer to it is that stored row, marked duplicate. */
  function expectStoredOnce(answers: readonly Answer[]): void {
    for (const [key, group] of bySender(answers)) {
      expect(group.map((a) => (a.result.ok ? true : a.result.code)), key).toEqual(group.map(() => true))
      const fresh = group.filter((a) => a.result.ok && !a.result.duplicate)
      expect(fresh, key).toHaveLength(1)
      const first = fresh[0]!.result
      for (const a of group) {
        if (!a.result.ok || !first.ok) continue
        expect(a.result.message, key).toEqual(first.message)
      }
    }
  }

  it('opens each conversation once and gives it seqs 1..n when three nodes race its first messages and their resends', async () => {
    const brandId = await newBrand()
    const convs = Array.from({ length: CONVERSATIONS }, () => ({ convId: id('c_'), v: { kind: 'visitor', id: id('v_') } as Participant }))
    const reqs = convs.flatMap(({ convId, v }) => Array.from({ length: 20 }, (_, i) => msg(brandId, v, convId, `m${i}`, 2000 + i)))
    const answers = await race(reqs)
    expect(answers).toHaveLength(reqs.length * (NODES - 1))
    expectStoredOnce(answers)
    for (const { convId } of convs) {
      const opened = answers.filter((a) => a.req.convId === convId && a.result.ok && a.result.opened !== null)
      expect(opened, convId).toHaveLength(1)
      const rows = await stored(brandId, convId)
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
      expect(new Set(rows.map((r) => r.client_msg_id)).size).toBe(20)
      expect(await lastSeq(brandId, convId)).toBe(20)
      // Every answer's seq is where that message is stored.
      const seqOf = new Map(rows.map((r) => [r.client_msg_id, r.seq]))
      for (const a of answers.filter((x) => x.req.convId === convId)) expect(a.result.ok && a.result.message.seq).toBe(seqOf.get(a.req.clientMsgId))
    }
  })

  it('gives visitor and agent messages raced by three nodes seqs 1..n, each sender\'s client ids stored once', async () => {
    const brandId = await newBrand()
    // An agent per conversation: one agent's client id is theirs once, in whichever conversation.
    const convs = await Promise.all(Array.from({ length: CONVERSATIONS }, async () => ({
      convId: id('c_'), v: { kind: 'visitor', id: id('v_') } as Participant, agent: await newAgent(brandId),
    })))
    for (const { convId, v, agent } of convs) {
      expect(await nodes[0]!.appendMessages([msg(brandId, v, convId, 'hello')])).toMatchObject([{ ok: true, message: { seq: 1 } }])
      expect(await nodes[1]!.joinConversation(brandId, convId, agent.id, 3000)).toMatchObject({ convId })
    }
    // Both senders use the same client ids: they are unique per sender, not per conversation.
    const reqs = convs.flatMap(({ convId, v, agent }) => Array.from({ length: 15 }, (_, i) => [
      msg(brandId, v, convId, `m${i}`, 3000 + i), msg(brandId, agent, convId, `m${i}`, 3000 + i),
    ]).flat())
    const answers = await race(reqs, 25)
    expectStoredOnce(answers)
    for (const { convId } of convs) {
      const rows = await stored(brandId, convId)
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1))
      expect(rows.filter((r) => r.sender_kind === 'agent')).toHaveLength(15)
      expect(await lastSeq(brandId, convId)).toBe(31)
      const read = await nodes[1]!.readMessages(brandId, convId, 0, 100)
      expect(read.map((m) => m.seq)).toEqual(rows.map((r) => r.seq))
      expect(read.filter((m) => m.from.kind === 'agent').every((m) => m.from.name === 'Dana')).toBe(true)
    }
  })

  it('stores a client id reused for two conversations by two nodes at once in one of them only, leaving no gap in either', async () => {
    const brandId = await newBrand()
    const v: Participant = { kind: 'visitor', id: id('v_') }
    const [x, y] = [id('cx_'), id('cy_')]
    await nodes[0]!.appendMessages([msg(brandId, v, x, 'open-x'), msg(brandId, v, y, 'open-y')])
    const ids = Array.from({ length: 40 }, (_, i) => `r${i}`)
    const [toX, toY] = await Promise.all([
      Promise.all(ids.map((c) => nodes[1]!.appendMessages([msg(brandId, v, x, c)]))),
      Promise.all(ids.map((c) => nodes[2]!.appendMessages([msg(brandId, v, y, c)]))),
    ])
    ids.forEach((c, i) => {
      const pair = [toX[i]![0]!, toY[i]![0]!]
      expect(pair.filter((r) => r.ok && !r.duplicate), c).toHaveLength(1)
      expect(pair.filter((r) => !r.ok && r.code === 'PARLEY_ERR_MESSAGE_ID_REUSED'), c).toHaveLength(1)
    })
    const [rowsX, rowsY] = [await stored(brandId, x), await stored(brandId, y)]
    expect(rowsX.length + rowsY.length).toBe(2 + ids.length)
    expect(rowsX.map((r) => r.seq)).toEqual(rowsX.map((_, i) => i + 1))
    expect(rowsY.map((r) => r.seq)).toEqual(rowsY.map((_, i) => i + 1))
    expect(await lastSeq(brandId, x)).toBe(rowsX.length)
    expect(await lastSeq(brandId, y)).toBe(rowsY.length)
  })

  it('commits a batch spanning two brands in one transaction, each row under its own brand', async () => {
    const [b1, b2] = [await newBrand(), await newBrand()]
    const v1: Participant = { kind: 'visitor', id: id('v_') }
    const v2: Participant = { kind: 'visitor', id: id('v_') }
    // The same conversation id in both brands: two conversations.
    const convId = id('c_')
    const results = await nodes[0]!.appendMessages([
      msg(b2, v2, convId, 'm1'), msg(b1, v1, convId, 'm1'), msg(b2, v2, convId, 'm2'), msg(b1, v1, convId, 'm2'), msg(b1, v2, convId, 'm3'),
    ])
    expect(results.map((r) => (r.ok ? [r.message.brandId, r.message.seq, r.opened !== null] : r.code))).toEqual([
      [b2, 1, true], [b1, 1, true], [b2, 2, false], [b1, 2, false], 'PARLEY_ERR_CONV_NOT_FOUND',
    ])
    expect((await stored(b1, convId)).map((r) => r.client_msg_id)).toEqual(['m1', 'm2'])
    expect((await stored(b2, convId)).map((r) => r.client_msg_id)).toEqual(['m1', 'm2'])
    expect((await nodes[1]!.readMessages(b1, convId, 0, 10)).map((m) => m.from.id)).toEqual([v1.id, v1.id])
    expect((await nodes[1]!.readMessages(b2, convId, 0, 10)).map((m) => m.from.id)).toEqual([v2.id, v2.id])
  })

  it('keeps nothing of a batch spanning two brands when one brand\'s row fails', async () => {
    const [b1, b2] = [await newBrand(), await newBrand()]
    const v: Participant = { kind: 'visitor', id: id('v_') }
    const [c1, c2] = [id('c_'), id('c_')]
    const bad = { ...msg(b2, v, c2, 'bad'), text: null as unknown as string }
    await expect(nodes[0]!.appendMessages([msg(b1, v, c1, 'm1'), msg(b2, v, c2, 'm1'), bad])).rejects.toThrow()
    expect(await lastSeq(b1, c1)).toBeUndefined()
    expect(await lastSeq(b2, c2)).toBeUndefined()
    expect(await nodes[0]!.appendMessages([msg(b1, v, c1, 'm1')])).toMatchObject([{ ok: true, duplicate: false, message: { seq: 1 } }])
  })
})
