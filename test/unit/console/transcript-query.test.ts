import { describe, expect, it } from 'vitest'
import { NO_FILTERS, TRANSCRIPT_PAGE, transcriptQuery } from '../../../widget/src/console/transcript-query.js'

// The transcripts view's form as the relay's query: empty fields left out, dates as the agent's
// local midnights with the "to" day included, topic as the relay spells topics.

describe('transcriptQuery', () => {
  it('asks for the first page of every conversation, open and closed, when the form is empty', () => {
    expect(Object.fromEntries(transcriptQuery(NO_FILTERS))).toEqual({ limit: String(TRANSCRIPT_PAGE) })
  })

  it('passes words, visitor, agent, topic and CSAT bounds, trimmed, with the page cursor', () => {
    const p = transcriptQuery({ ...NO_FILTERS, text: '  refun* parcel ', visitorId: ' v-1 ', agentId: 'a-1', topic: ' Billing ', csatMin: '2', csatMax: '4' }, '1700.c-9')
    expect(Object.fromEntries(p)).toEqual({
      limit: String(TRANSCRIPT_PAGE), q: 'refun* parcel', visitorId: 'v-1', agentId: 'a-1', topic: 'billing', csatMin: '2', csatMax: '4', before: '1700.c-9',
    })
  })

  it('turns the date range into local midnights, the "to" day included', () => {
    const p = transcriptQuery({ ...NO_FILTERS, from: '2026-11-02', to: '2026-11-02' })
    expect(Number(p.get('from'))).toBe(new Date(2026, 10, 2).getTime())
    expect(Number(p.get('to'))).toBe(new Date(2026, 10, 3).getTime())
  })

  it('leaves out a date that is not one', () => {
    const p = transcriptQuery({ ...NO_FILTERS, from: 'yesterday', to: '2026-13-45x' })
    expect(p.has('from')).toBe(false)
    expect(p.has('to')).toBe(false)
  })
})
