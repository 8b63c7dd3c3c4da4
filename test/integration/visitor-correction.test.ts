import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ALL_SCOPES, type Role, type Survey } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'
import { chattedVisitor, type ChattedVisitor } from '../helpers/data-rights-visitor.js'
import { TestClient } from '../helpers/ws-client.js'

// Correcting a visitor's data on a real relay: new contact details reach every conversation and
// contact answer of theirs and the old ones are in no later export; survey answers are checked
// against the survey version answered and masked as at submission; the audit log names the fields
// corrected, never a value; and every refusal changes nothing.

const CARD = '4111 1111 1111 1111'

/** A pre-chat form asking for a name and an e-mail address: its answers become the chat's contact. */
const CONTACT_FORM: Survey = {
  id: 'contact', kind: 'pre', version: 1,
  fields: [
    { id: 'name', type: 'text', label: 'Your name', purpose: 'name' },
    { id: 'email', type: 'email', label: 'Your e-mail', purpose: 'email' },
  ],
}

describe('correcting a visitor', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  async function scene(): Promise<{ brand: TestBrand; ada: ChattedVisitor }> {
    const brand = await createTestBrand(relay)
    return { brand, ada: await chattedVisitor(relay, brand) }
  }
  const post = (brand: TestBrand, url: string, body: unknown, token = brand.apiKey) => callRest(relay, { method: 'POST', url, token, body })
  const patchAnswers = (brand: TestBrand, convId: string, surveyId: string, answers: unknown, token = brand.apiKey) =>
    callRest(relay, { method: 'PATCH', url: `/v1/conversations/${convId}/surveys/${surveyId}/answers`, token, body: { answers } })
  const exportRaw = async (brand: TestBrand, visitorId: string) => (await post(brand, '/v1/visitors/export', { selector: { visitorId } })).raw
  const responses = async (brand: TestBrand, convId: string) => (await callRest(relay, { url: `/v1/conversations/${convId}/responses`, token: brand.apiKey })).body.responses

  it('overwrites the name and e-mail everywhere they were given; the old ones are in no later export', async () => {
    const { brand, ada } = await scene()
    const res = await post(brand, '/v1/visitors/correct', { selector: { email: ada.email }, contact: { name: 'Ada King', email: 'ada.king@example.org' } })
    expect(res.status, res.raw).toBe(200)
    // The chat's contact (from the pre-chat name) and the offline form's; the pre-chat name answer.
    expect(res.body).toEqual({ conversations: 2, customers: 0, surveyResponses: 1 })
    const raw = await exportRaw(brand, ada.visitorId)
    expect(raw).not.toContain('Ada Lovelace')
    expect(raw.toLowerCase()).not.toContain(ada.email.toLowerCase())
    expect(raw).toContain('"contact":{"name":"Ada King","email":"ada.king@example.org"}')
    expect((await responses(brand, ada.chatConvId))[0].answers.name).toBe('Ada King')
    expect((await post(brand, '/v1/visitors/export', { selector: { email: 'ADA.KING@example.org' } })).status).toBe(200)
  })

  it('masks a corrected contact as an offline form contact is, keeping the address', async () => {
    const { brand, ada } = await scene()
    const res = await post(brand, '/v1/visitors/correct', { selector: { visitorId: ada.visitorId }, contact: { name: `Ada ${CARD}` } })
    expect(res.status).toBe(200)
    const raw = await exportRaw(brand, ada.visitorId)
    expect(raw).not.toContain('4111')
    expect(raw).toContain(ada.email)
  })

  it('records data.correct with the field names and counts, never a value', async () => {
    const { brand, ada } = await scene()
    await post(brand, '/v1/visitors/correct', { selector: { email: ada.email }, contact: { email: 'new.address@example.org' } })
    await patchAnswers(brand, ada.chatConvId, 'intake', { note: 'a new note', topic: 'billing' })
    const audit = await callRest(relay, { url: '/v1/audit?action=data.correct', token: brand.apiKey })
    expect(audit.body.entries).toEqual([
      expect.objectContaining({ resource: { type: 'conversation', id: ada.chatConvId }, detail: { surveyId: 'intake', fields: 'note,topic' } }),
      expect.objectContaining({
        resource: { type: 'visitor', id: ada.visitorId },
        detail: { selector: 'email', fields: 'email', visitors: 1, conversations: 2, customers: 0, surveyResponses: 0 },
      }),
    ])
    for (const value of ['new.address', ada.email.toLowerCase(), 'a new note', ada.words.note]) expect(audit.raw.toLowerCase()).not.toContain(value)
  })

  it('replaces survey answers (null clears one), masks free text, and the old text is in no later export', async () => {
    const { brand, ada } = await scene()
    const res = await patchAnswers(brand, ada.chatConvId, 'intake', { note: `call me, card ${CARD}`, topic: 'billing', name: null })
    expect(res.status, res.raw).toBe(200)
    expect(res.body).toMatchObject({ surveyId: 'intake', version: 1, kind: 'pre', answers: { topic: 'billing', note: expect.stringMatching(/^call me, card /) } })
    expect(res.body.answers.name).toBeUndefined()
    expect(res.body.answers.note).not.toContain('4111')
    expect(await responses(brand, ada.chatConvId)).toEqual([res.body])
    expect(await exportRaw(brand, ada.visitorId)).not.toContain(ada.words.note)
  })

  it("correcting a pre-chat e-mail answer corrects the chat's contact: the old address selects nobody", async () => {
    const brand = await createTestBrand(relay)
    await relay.deps.store.setSurveysConfig(brand.brandId, { surveys: [CONTACT_FORM], pre: 'contact' }, [CONTACT_FORM], 1)
    const { client, welcome } = await TestClient.visitor(relay.wsUrl, brand.siteKey)
    const convId = `c_contact_${Date.now().toString(36)}`
    client.send({ type: 'conversation.open', convId, clientMsgId: 'open-1', survey: { surveyId: 'contact', version: 1, answers: { name: 'Ada', email: 'old.ada@example.com' } } })
    await client.next('conversation.started', (f) => f.convId === convId)
    client.close()
    const visitorId = welcome.identity.kind === 'visitor' ? welcome.identity.visitorId : ''
    const byEmail = (email: string) => post(brand, '/v1/visitors/export', { selector: { email } })
    expect((await byEmail('old.ada@example.com')).status).toBe(200)

    const res = await patchAnswers(brand, convId, 'contact', { email: 'new.ada@example.org' })
    expect(res.status, res.raw).toBe(200)
    expectErrorBody(await byEmail('OLD.ada@example.com'), 'PARLEY_ERR_VISITOR_NOT_FOUND')
    const now = await byEmail('new.ada@example.org')
    expect(now.status, now.raw).toBe(200)
    expect(now.raw).toContain(visitorId)
    expect(now.raw).not.toContain('old.ada')
    expect((await relay.deps.store.getConversation(brand.brandId, convId))?.contact).toEqual({ name: 'Ada', email: 'new.ada@example.org' })
  })

  it('keeps no corrected value in the database file or its WAL', async () => {
    const { brand, ada } = await scene()
    const res = await patchAnswers(brand, ada.chatConvId, 'intake', { note: 'a plain note' })
    expect(res.status, res.raw).toBe(200)
    const files = ['parley.db', 'parley.db-wal'].map((f) => join(relay.dataDir, f)).filter((f) => existsSync(f)).map((f) => readFileSync(f))
    expect(files.some((bytes) => bytes.includes(ada.words.message)), 'the messages are still stored').toBe(true)
    for (const bytes of files) expect(bytes.includes(ada.words.note)).toBe(false)
  })

  it('refuses an answer the survey version would not take, naming the field, and changes nothing', async () => {
    const { brand, ada } = await scene()
    const before = await responses(brand, ada.chatConvId)
    for (const [answers, field] of [[{ topic: 'weather' }, 'topic'], [{ note: 42 }, 'note'], [{ shoeSize: '44' }, 'shoeSize'], [{ note: 'fine', topic: ['sales'] }, 'topic']] as const) {
      const res = await patchAnswers(brand, ada.chatConvId, 'intake', answers)
      expect(res.status).toBe(400)
      expect(res.body).toMatchObject({ code: 'PARLEY_ERR_SURVEY_ANSWER_INVALID', field, message: expect.stringContaining(`field ${field} is refused`) })
    }
    expect(await responses(brand, ada.chatConvId)).toEqual(before)
  })

  it('answers 404 for a survey the conversation has no answers to, and for another brand\'s conversation', async () => {
    const { brand, ada } = await scene()
    expectErrorBody(await patchAnswers(brand, ada.chatConvId, 'after', { comment: 'x' }), 'PARLEY_ERR_SURVEY_RESPONSE_NOT_FOUND')
    const other = await createTestBrand(relay)
    expectErrorBody(await patchAnswers(other, ada.chatConvId, 'intake', { note: 'x' }), 'PARLEY_ERR_CONV_NOT_FOUND')
    expectErrorBody(await post(other, '/v1/visitors/correct', { selector: { visitorId: ada.visitorId }, contact: { name: 'X' } }), 'PARLEY_ERR_VISITOR_NOT_FOUND')
  })

  it('refuses to write answers into an erased conversation', async () => {
    const { brand, ada } = await scene()
    expect((await post(brand, '/v1/visitors/erase', { selector: { visitorId: ada.visitorId } })).status).toBe(200)
    expectErrorBody(await patchAnswers(brand, ada.chatConvId, 'intake', { note: 'back again' }), 'PARLEY_ERR_CONV_ERASED')
    expect((await responses(brand, ada.chatConvId))[0].answers).toEqual({})
  })

  it('refuses a key without data:erase and agents below admin; an admin corrects', async () => {
    const { brand, ada } = await scene()
    const key = await post(brand, '/v1/keys', { name: 'no erase', scopes: ALL_SCOPES.filter((s) => s !== 'data:erase') })
    const body = { selector: { visitorId: ada.visitorId }, contact: { name: 'Nope' } }
    expectErrorBody(await post(brand, '/v1/visitors/correct', body, key.body.secret), 'PARLEY_ERR_AUTH_SCOPE')
    expectErrorBody(await patchAnswers(brand, ada.chatConvId, 'intake', { note: 'x' }, key.body.secret), 'PARLEY_ERR_AUTH_SCOPE')
    for (const role of ['agent', 'supervisor'] as Role[]) {
      const agent = await createTestAgent(relay, brand.brandId, `A ${role}`, role)
      expectErrorBody(await post(brand, '/v1/visitors/correct', body, agent.token), 'PARLEY_ERR_AUTH_ROLE')
      expectErrorBody(await patchAnswers(brand, ada.chatConvId, 'intake', { note: 'x' }, agent.token), 'PARLEY_ERR_AUTH_ROLE')
    }
    expect(await exportRaw(brand, ada.visitorId)).not.toContain('Nope')
    const admin = await createTestAgent(relay, brand.brandId, 'An admin', 'admin')
    expect((await post(brand, '/v1/visitors/correct', body, admin.token)).status).toBe(200)
  })
})
