import { describe, expect, it } from 'vitest'
import { createConnection, createMemoryStorage, type Connection, type ConnectionEvents, type KeyValueStorage } from '../../../../sdk/src/connection/connection.js'
import { createFakeSockets, createManualClock, welcomeFrame, type FakeSocket, type ManualClock } from '../../../helpers/fake-socket.js'
import { until } from '../../../helpers/until.js'

// Conversation openings (with the pre-chat answers) and survey answers go through the outbox like
// messages: persisted before they are sent, replayed oldest first after every welcome, settled by
// their acks (conversation.started, survey.answered), refused for good by a non-retryable error
// naming the field, sent again with the same id after a retryable one. An entry an older widget
// stored (no kind) still goes as a message.

const SURVEY = { surveyId: 'pre', version: 1, answers: { topic: 'billing', email: 'ann@example.com' }, language: 'en' }
const ANSWER = { surveyId: 'post', version: 2, answers: { csat: 5 } }

let ids = 0
const newId = () => `id${++ids}`

async function openClient(storage: KeyValueStorage, clock: ManualClock = createManualClock()) {
  const { sockets, WebSocket } = createFakeSockets()
  const conn = createConnection({ url: 'ws://localhost/v1/live', auth: { kind: 'visitor' }, WebSocket, storage, clock, newId })
  conn.start()
  await until(() => sockets.length === 1, 'socket')
  sockets[0]!.open()
  sockets[0]!.receive(welcomeFrame())
  await until(() => conn.state.kind === 'open', 'open')
  return { conn, socket: sockets[0]!, clock }
}

const sentOf = (socket: FakeSocket, type: string) => socket.sent.filter((f) => f.type === type)

function record<K extends keyof ConnectionEvents>(conn: Connection, event: K): ConnectionEvents[K][] {
  const seen: ConnectionEvents[K][] = []
  conn.on(event, (d) => seen.push(d))
  return seen
}

describe('conversation openings in the outbox', () => {
  it('sends conversation.open with the survey once stored', async () => {
    const c = await openClient(createMemoryStorage())
    const entry = await c.conn.openConversation('c1', SURVEY)
    await until(() => sentOf(c.socket, 'conversation.open').length === 1, 'open sent')
    expect(sentOf(c.socket, 'conversation.open')).toEqual([{ type: 'conversation.open', convId: 'c1', clientMsgId: entry.clientMsgId, survey: SURVEY }])
    expect(entry).toMatchObject({ kind: 'open', survey: SURVEY, text: '' })
    await c.conn.stop()
  })

  it('sends conversation.open without a survey when none is given', async () => {
    const c = await openClient(createMemoryStorage())
    const entry = await c.conn.openConversation('c1')
    await until(() => sentOf(c.socket, 'conversation.open').length === 1, 'open sent')
    expect(sentOf(c.socket, 'conversation.open')).toEqual([{ type: 'conversation.open', convId: 'c1', clientMsgId: entry.clientMsgId }])
    await c.conn.stop()
  })

  it('leaves the outbox and emits opened on conversation.started', async () => {
    const c = await openClient(createMemoryStorage())
    const opened = record(c.conn, 'opened')
    const entry = await c.conn.openConversation('c1', SURVEY)
    c.socket.receive({ type: 'conversation.started', convId: 'c1', clientMsgId: entry.clientMsgId, at: 5 })
    await until(() => opened.length === 1, 'opened')
    expect(opened[0]!.entry.clientMsgId).toBe(entry.clientMsgId)
    expect(opened[0]!.started.at).toBe(5)
    expect(await c.conn.outbox()).toEqual([])
    await c.conn.stop()
  })

  it('sends the opening first and a message written after it once the opening is stored, on a later connection', async () => {
    const storage = createMemoryStorage()
    const { WebSocket } = createFakeSockets()
    const offline = createConnection({ url: 'ws://x', auth: { kind: 'visitor' }, WebSocket, storage, clock: createManualClock(), newId })
    const open = await offline.openConversation('c1', SURVEY)
    await offline.send('c1', 'hello')
    const c = await openClient(storage)
    await until(() => sentOf(c.socket, 'conversation.open').length === 1, 'opening replayed')
    // The message waits for the opening's answer: a refused opening must not let it open the chat.
    expect(sentOf(c.socket, 'message.send')).toEqual([])
    c.socket.receive({ type: 'conversation.started', convId: 'c1', clientMsgId: open.clientMsgId, at: 5 })
    await until(() => sentOf(c.socket, 'message.send').length === 1, 'message released')
    expect(c.socket.sent.filter((f) => f.type !== 'hello').map((f) => f.type)).toEqual(['conversation.open', 'message.send'])
    await c.conn.stop()
  })

  it('refuses the messages written behind an opening the relay refuses, and never sends them', async () => {
    const c = await openClient(createMemoryStorage())
    const refused = record(c.conn, 'refused')
    const open = await c.conn.openConversation('c1', SURVEY)
    const message = await c.conn.send('c1', 'my card is due')
    await until(() => sentOf(c.socket, 'conversation.open').length === 1, 'open sent')
    c.socket.receive({
      type: 'error', code: 'PARLEY_ERR_SURVEY_NOT_FOUND', message: 'Survey pre (version 1) not found', retryable: false, ref: open.clientMsgId,
    })
    await until(() => refused.length === 2, 'both refused')
    expect(refused.map((r) => r.entry.clientMsgId)).toEqual([open.clientMsgId, message.clientMsgId])
    expect(refused[1]!.error.code).toBe('PARLEY_ERR_SURVEY_NOT_FOUND')
    expect(await c.conn.outbox()).toEqual([])
    expect(sentOf(c.socket, 'message.send')).toEqual([])
    await c.conn.stop()
  })

  it('keeps holding a message while its opening is retried, and sends it once the opening is stored', async () => {
    const c = await openClient(createMemoryStorage())
    const open = await c.conn.openConversation('c1', SURVEY)
    await c.conn.send('c1', 'hello')
    await until(() => sentOf(c.socket, 'conversation.open').length === 1, 'first')
    c.socket.receive({ type: 'error', code: 'PARLEY_ERR_LIMIT_RATE', message: 'slow down', retryable: true, ref: open.clientMsgId, retryAfterMs: 300 })
    await until(async () => { c.clock.advance(300); return sentOf(c.socket, 'conversation.open').length === 2 }, 'again')
    expect(sentOf(c.socket, 'message.send')).toEqual([])
    c.socket.receive({ type: 'conversation.started', convId: 'c1', clientMsgId: open.clientMsgId, at: 5 })
    await until(() => sentOf(c.socket, 'message.send').length === 1, 'released')
    await c.conn.stop()
  })

  it('refuses an opening for good with the error field and forgets it', async () => {
    const c = await openClient(createMemoryStorage())
    const refused = record(c.conn, 'refused')
    const entry = await c.conn.openConversation('c1', SURVEY)
    c.socket.receive({
      type: 'error', code: 'PARLEY_ERR_SURVEY_ANSWER_INVALID', message: 'Answer to field email is refused: is not an e-mail address',
      retryable: false, ref: entry.clientMsgId, field: 'email',
    })
    await until(() => refused.length === 1, 'refused')
    expect(refused[0]!.entry.kind).toBe('open')
    expect(refused[0]!.error).toMatchObject({ code: 'PARLEY_ERR_SURVEY_ANSWER_INVALID', field: 'email' })
    expect(await c.conn.outbox()).toEqual([])
    await c.conn.stop()
  })

  it('sends an opening again with the same id after a retryable error', async () => {
    const c = await openClient(createMemoryStorage())
    const entry = await c.conn.openConversation('c1', SURVEY)
    await until(() => sentOf(c.socket, 'conversation.open').length === 1, 'first')
    c.socket.receive({ type: 'error', code: 'PARLEY_ERR_LIMIT_RATE', message: 'slow down', retryable: true, ref: entry.clientMsgId, retryAfterMs: 300 })
    await until(async () => { c.clock.advance(300); return sentOf(c.socket, 'conversation.open').length === 2 }, 'again')
    expect(sentOf(c.socket, 'conversation.open').map((f) => f['clientMsgId'])).toEqual([entry.clientMsgId, entry.clientMsgId])
    expect((await c.conn.outbox()).map((e) => e.clientMsgId)).toEqual([entry.clientMsgId])
    await c.conn.stop()
  })
})

describe('survey answers in the outbox', () => {
  it('sends survey.answer and emits answered on survey.answered', async () => {
    const c = await openClient(createMemoryStorage())
    const answered = record(c.conn, 'answered')
    const entry = await c.conn.answerSurvey('c1', ANSWER)
    await until(() => sentOf(c.socket, 'survey.answer').length === 1, 'answer sent')
    expect(sentOf(c.socket, 'survey.answer')).toEqual([{ type: 'survey.answer', convId: 'c1', clientMsgId: entry.clientMsgId, survey: ANSWER }])
    c.socket.receive({ type: 'survey.answered', convId: 'c1', clientMsgId: entry.clientMsgId, surveyId: 'post', at: 9 })
    await until(() => answered.length === 1, 'answered')
    expect(answered[0]!.answered.surveyId).toBe('post')
    expect(await c.conn.outbox()).toEqual([])
    await c.conn.stop()
  })

  it('keeps an answer written while offline and sends it once on the next connection', async () => {
    const storage = createMemoryStorage()
    const { WebSocket } = createFakeSockets()
    const offline = createConnection({ url: 'ws://x', auth: { kind: 'visitor' }, WebSocket, storage, clock: createManualClock(), newId })
    const entry = await offline.answerSurvey('c1', ANSWER)
    const c = await openClient(storage)
    await until(() => sentOf(c.socket, 'survey.answer').length === 1, 'replayed')
    expect(sentOf(c.socket, 'survey.answer')[0]!['clientMsgId']).toBe(entry.clientMsgId)
    expect(await c.conn.outbox()).toMatchObject([{ kind: 'answer', survey: ANSWER }])
    await c.conn.stop()
  })

  it('refuses an answer already given with its code', async () => {
    const c = await openClient(createMemoryStorage())
    const refused = record(c.conn, 'refused')
    const entry = await c.conn.answerSurvey('c1', ANSWER)
    c.socket.receive({ type: 'error', code: 'PARLEY_ERR_SURVEY_ANSWERED', message: 'answered', retryable: false, ref: entry.clientMsgId })
    await until(() => refused.length === 1, 'refused')
    expect(refused[0]!.error.code).toBe('PARLEY_ERR_SURVEY_ANSWERED')
    expect(await c.conn.outbox()).toEqual([])
    await c.conn.stop()
  })
})

describe('outbox entries of an older widget', () => {
  it('replays an entry without kind as message.send', async () => {
    const storage = createMemoryStorage()
    await storage.set('parley:outbox:old1', { convId: 'c1', clientMsgId: 'old1', text: 'from before', createdAt: 1, owner: 'gone' })
    const c = await openClient(storage)
    await until(() => sentOf(c.socket, 'message.send').length === 1, 'replayed')
    expect(sentOf(c.socket, 'message.send')).toEqual([{ type: 'message.send', convId: 'c1', clientMsgId: 'old1', text: 'from before' }])
    await c.conn.stop()
  })
})

describe('surveys an agent sends', () => {
  it('emits surveyRequested for a survey.requested frame', async () => {
    const c = await openClient(createMemoryStorage())
    const requested = record(c.conn, 'surveyRequested')
    c.socket.receive({ type: 'survey.requested', convId: 'c1', surveyId: 'post', by: { kind: 'agent', id: 'a1' }, at: 3 })
    await until(() => requested.length === 1, 'requested')
    expect(requested[0]).toMatchObject({ convId: 'c1', surveyId: 'post' })
    await c.conn.stop()
  })
})
