import Database from 'better-sqlite3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ConversationStarted, SurveyAnswered } from '@parley/sdk/contract'
import { RelayProcess, createBrandWithCli, killRelayProcesses, type CliBrand } from '../helpers/relay-process.js'
import { postAnswers, preAnswers, saveTestSurveys } from '../helpers/survey-brand.js'
import { databaseFile } from '../../server/src/data-dir.js'
import { createSqliteStore } from '../../server/src/store/sqlite/sqlite-store.js'
import { tempDir } from '../helpers/temp-dir.js'
import { TestClient } from '../helpers/ws-client.js'

// Survey answers are acknowledged like messages: once the visitor has conversation.started or
// survey.answered, the answer is on disk. The relay runs as its own process and is killed with
// SIGKILL right after both acks; on restart the visitor's outbox sends both frames again (same
// clientMsgId), the relay answers as the first time, and the file holds each exactly once.

const ORIGIN = 'http://localhost'
const CONV = 'conv-survey-chaos'

interface Row { conv_id: string; survey_id: string; client_msg_id: string }

describe.each(['worker', 'main'])('survey answers with the store on the %s thread, acked, then the relay killed with SIGKILL', (storeThread) => {
  const dir = tempDir('parley-survey-chaos-')
  let brand: CliBrand
  let first: { started: ConversationStarted; answered: SurveyAnswered }
  let again: { started: ConversationStarted; answered: SurveyAnswered }
  let conversations: string[] = []
  let responses: Row[] = []

  /** Sends the open and the post-chat answer as an outbox does after a reconnect; returns both answers. */
  async function sendBoth(client: TestClient) {
    client.send({ type: 'conversation.open', convId: CONV, clientMsgId: 'open-1', survey: preAnswers({ name: 'Ada', topic: 'billing' }) })
    client.send({ type: 'survey.answer', convId: CONV, clientMsgId: 'answer-1', survey: postAnswers({ score: 4, comment: 'fine' }) })
    return { started: await client.next('conversation.started'), answered: await client.next('survey.answered') }
  }

  beforeAll(async () => {
    brand = await createBrandWithCli(dir.dir, 'Survey chaos', [ORIGIN])
    const seed = createSqliteStore({ file: databaseFile(dir.dir) })
    await saveTestSurveys(seed, brand.brandId)
    await seed.close()

    let relay = await RelayProcess.start({ dataDir: dir.dir, args: ['--store-thread', storeThread] })
    const visitor = await TestClient.visitor(relay.wsUrl, brand.siteKey, { origin: ORIGIN })
    if (visitor.welcome.identity.kind !== 'visitor') throw new Error('expected a visitor identity')
    const token = visitor.welcome.identity.token
    first = await sendBoth(visitor.client)
    await relay.kill('SIGKILL')
    await visitor.client.closed()

    relay = await relay.restart()
    const back = await TestClient.visitor(relay.wsUrl, brand.siteKey, { origin: ORIGIN, token })
    again = await sendBoth(back.client)
    back.client.close()
    await relay.kill('SIGKILL')

    const db = new Database(databaseFile(dir.dir), { readonly: true, fileMustExist: true })
    try {
      conversations = (db.prepare('SELECT conv_id FROM conversations WHERE brand_id = ?').all(brand.brandId) as { conv_id: string }[]).map((r) => r.conv_id)
      responses = db.prepare('SELECT conv_id, survey_id, client_msg_id FROM survey_responses WHERE brand_id = ? ORDER BY survey_id').all(brand.brandId) as Row[]
    } finally {
      db.close()
    }
  }, 60_000)

  afterAll(async () => {
    await killRelayProcesses()
    dir.remove()
  })

  it('answers the open and the post-chat answer sent again after the restart as the first time', () => {
    expect(again).toEqual(first)
  })

  it('stores the conversation the open made exactly once', () => {
    expect(conversations).toEqual([CONV])
  })

  it('stores the pre-chat and the post-chat answer each exactly once', () => {
    expect(responses).toEqual([
      { conv_id: CONV, survey_id: 'after', client_msg_id: 'answer-1' },
      { conv_id: CONV, survey_id: 'intake', client_msg_id: 'open-1' },
    ])
  })
})
