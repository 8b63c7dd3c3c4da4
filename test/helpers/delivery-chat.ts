import { onTestFinished } from 'vitest'
import type { ConversationResumed, ResumePoint, ServerFrame, VisitorContext, Welcome } from '@parley/sdk/contract'
import type { TestRelay } from './start-relay.js'
import type { TestAgent, TestBrand } from './brand.js'
import { TestClient } from './ws-client.js'
import { until } from './until.js'

// Connecting visitors and agents for delivery tests. Every client opened here is closed when the
// test that opened it finishes, so a relay shared by a file never runs into its per-IP limit.

type FrameOf<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>

/** A connected visitor: the client, its welcome, and the identity to reconnect with. */
export interface VisitorTab {
  client: TestClient
  welcome: Welcome
  visitorId: string
  token: string
}

/** Connects a visitor of `brand` (new, or returning with `token`), optionally with context, resume points and upgrade headers (DNT, Sec-GPC). */
export async function connectVisitor(
  relay: TestRelay, brand: TestBrand,
  opts: { token?: string; context?: VisitorContext; resume?: ResumePoint[]; headers?: Record<string, string> } = {},
): Promise<VisitorTab> {
  const client = await TestClient.connect(`${relay.wsUrl}?site=${encodeURIComponent(brand.siteKey)}`, opts.headers ? { headers: opts.headers } : {})
  onTestFinished(() => client.close())
  client.send({
    type: 'hello', protocol: 1,
    auth: opts.token ? { kind: 'visitor', token: opts.token } : { kind: 'visitor' },
    ...(opts.context ? { context: opts.context } : {}),
    ...(opts.resume ? { resume: opts.resume } : {}),
  })
  const welcome = await client.next('welcome')
  if (welcome.identity.kind !== 'visitor') throw new Error('expected a visitor identity')
  return { client, welcome, visitorId: welcome.identity.visitorId, token: welcome.identity.token }
}

/** Connects an agent with their session token, optionally resuming conversations in hello. */
export async function connectAgent(relay: TestRelay, agent: TestAgent, opts: { resume?: ResumePoint[] } = {}): Promise<{ client: TestClient; welcome: Welcome }> {
  const r = await TestClient.agent(relay.wsUrl, agent.token, opts)
  onTestFinished(() => r.client.close())
  return r
}

/** The first frame of `type` matching `pred` received so far, waiting for it if need be (no cursor). */
export function frameOf<T extends ServerFrame['type']>(client: TestClient, type: T, pred: (f: FrameOf<T>) => boolean = () => true, what: string = type): Promise<FrameOf<T>> {
  return until(() => {
    const f = client.all(type, pred)[0]
    if (f) return f
    if (client.closeCode !== null) throw new Error(`socket closed (${client.closeCode} ${client.closeReason}) while waiting for ${what}`)
    return undefined
  }, what)
}

/** Sends one message and waits for its ack. */
export async function sendAndAck(client: TestClient, convId: string, clientMsgId: string, text: string): Promise<FrameOf<'message.ack'>> {
  client.send({ type: 'message.send', convId, clientMsgId, text })
  return frameOf(client, 'message.ack', (a) => a.clientMsgId === clientMsgId, `ack of ${clientMsgId}`)
}

/** Waits until `client` holds `count` frames of `type` matching `pred`, and returns them in arrival order. */
export async function collect<T extends ServerFrame['type']>(client: TestClient, type: T, pred: (f: FrameOf<T>) => boolean, count: number, what: string = type, timeoutMs = 10_000): Promise<FrameOf<T>[]> {
  await until(() => {
    if (client.all(type, pred).length >= count) return true
    if (client.closeCode !== null) throw new Error(`socket closed (${client.closeCode} ${client.closeReason}) while waiting for ${what}`)
    return false
  }, `${count} × ${what}`, timeoutMs)
  return client.all(type, pred)
}

/**
 * Visitor `visitor` opens `convId` with a first message; `agent` (already connected) sees it open,
 * joins and waits for its joined frame. Returns the open frame the agent got.
 */
export async function openAndJoin(visitor: TestClient, agent: TestClient, convId: string, firstText = 'hello'): Promise<FrameOf<'conversation.opened'>> {
  await sendAndAck(visitor, convId, `${convId}-first`, firstText)
  const opened = await frameOf(agent, 'conversation.opened', (f) => f.convId === convId, `opened ${convId}`)
  agent.send({ type: 'conversation.join', convId, ref: `join-${convId}` })
  await frameOf(agent, 'conversation.joined', (f) => f.convId === convId && f.ref === `join-${convId}`, `joined ${convId}`)
  return opened
}

/**
 * Follows a resume of `convId` to the end: waits for each `conversation.resumed` after the first
 * `seen` ones and, while it says `more`, asks again from its `lastSeq`. Returns the pages.
 */
export async function finishResume(client: TestClient, convId: string, seen = 0): Promise<ConversationResumed[]> {
  const pages: ConversationResumed[] = []
  for (;;) {
    const index = seen + pages.length
    const page = await until(() => {
      const f = client.all('conversation.resumed', (r) => r.convId === convId)[index]
      if (!f && client.closeCode !== null) throw new Error(`socket closed (${client.closeCode}) while resuming ${convId}`)
      return f
    }, `resume page ${index + 1} of ${convId}`)
    pages.push(page)
    if (!page.more) return pages
    client.send({ type: 'conversation.resume', convs: [{ convId, afterSeq: page.lastSeq }] })
  }
}

/** The seqs of the message.new frames `client` received for `convId`, in arrival order. */
export function receivedSeqs(client: TestClient, convId: string): number[] {
  return client.all('message.new', (m) => m.convId === convId).map((m) => m.seq)
}

/** 1, 2, …, n shifted to start after `after`. */
export function seqRange(after: number, last: number): number[] {
  return Array.from({ length: Math.max(0, last - after) }, (_, i) => after + i + 1)
}
