import { describe, expect, it } from 'vitest'
import { ConflictError, InvalidRequestError, NotFoundError, type VisitorExport } from '@parley/sdk'
import { rejection, sdkRelay } from '../helpers/sdk-relay.js'
import { chattedVisitor, SCRIPT_TEXT } from '../helpers/data-rights-visitor.js'

// parley.visitors and parley.conversations.correctAnswers against a real relay: the export parsed,
// as a string, or streamed (and cancelled part way); corrections; each refusal as its SDK class.

describe('parley.visitors', () => {
  const s = sdkRelay()

  it('exports the document, the page and the text of a visitor', async () => {
    const ada = await chattedVisitor(s.relay, s.brand)
    const doc: VisitorExport = await s.parley.visitors.export({ email: ada.email })
    expect(doc).toMatchObject({ format: 'parley.visitor-export', version: 1, selector: 'email', visitors: [{ visitorId: ada.visitorId }] })
    const html = await s.parley.visitors.export({ visitorId: ada.visitorId }, { format: 'html' })
    expect(html).toMatch(/^<!doctype html>/)
    expect(html).not.toContain(SCRIPT_TEXT)
    const text = await s.parley.visitors.export({ visitorId: ada.visitorId }, { format: 'text' })
    expect(text).toContain(SCRIPT_TEXT)
  })

  it('streams an export in chunks that add up to the document, and lets a reader stop early', async () => {
    const ada = await chattedVisitor(s.relay, s.brand)
    const stream = await s.parley.visitors.exportStream({ visitorId: ada.visitorId }, { format: 'text' })
    expect(stream.type).toBe('text/plain; charset=utf-8')
    expect(stream.fileName).toMatch(/^parley-export-\d{4}-\d{2}-\d{2}\.txt$/)
    const chunks: Uint8Array[] = []
    for await (const chunk of stream) chunks.push(chunk)
    // The same text as the whole answer, but for the title line's export time.
    const untimed = (text: string) => text.split('\n').slice(1).join('\n')
    expect(untimed(Buffer.concat(chunks).toString('utf8'))).toBe(untimed(await s.parley.visitors.export({ visitorId: ada.visitorId }, { format: 'text' })))
    const early = await s.parley.visitors.exportStream({ visitorId: ada.visitorId })
    for await (const chunk of early) { expect(chunk.length).toBeGreaterThan(0); break }
    // The relay is none the worse for a reader that left.
    expect((await s.parley.visitors.export({ visitorId: ada.visitorId })).visitors).toHaveLength(1)
  })

  it('corrects a contact and answers, and refuses with the SDK classes', async () => {
    const ada = await chattedVisitor(s.relay, s.brand)
    expect(await s.parley.visitors.correct({ visitorId: ada.visitorId }, { name: 'Ada King' })).toEqual({ conversations: 2, customers: 0, surveyResponses: 1 })
    const corrected = await s.parley.conversations.correctAnswers(ada.chatConvId, 'intake', { note: 'corrected note', name: null })
    expect(corrected.answers).toEqual({ topic: 'sales', note: 'corrected note' })

    const invalid = await rejection(s.parley.conversations.correctAnswers(ada.chatConvId, 'intake', { topic: 'weather' }))
    expect(invalid).toBeInstanceOf(InvalidRequestError)
    expect(invalid).toMatchObject({ code: 'PARLEY_ERR_SURVEY_ANSWER_INVALID', field: 'topic' })
    const none = await rejection(s.parley.visitors.export({ email: 'no.such.visitor@example.com' }))
    expect(none).toBeInstanceOf(NotFoundError)
    expect(none.code).toBe('PARLEY_ERR_VISITOR_NOT_FOUND')
    await s.parley.visitors.exportStream({ visitorId: 'v_nobody' }).then(() => { throw new Error('streamed a missing visitor') }, (err: unknown) => {
      expect(err).toBeInstanceOf(NotFoundError)
    })
    expect((await s.relay.app.inject({ method: 'POST', url: '/v1/visitors/erase', headers: { authorization: `Bearer ${s.brand.apiKey}` }, payload: { selector: { visitorId: ada.visitorId } } })).statusCode).toBe(200)
    const erased = await rejection(s.parley.conversations.correctAnswers(ada.chatConvId, 'intake', { note: 'again' }))
    expect(erased).toBeInstanceOf(ConflictError)
    expect(erased.code).toBe('PARLEY_ERR_CONV_ERASED')
  })
})
