import { describe, expect, it } from 'vitest'
import { searchDetail } from '../../../../server/src/audit/transcript-audit.js'

// A listing's audit detail names the filters and counts the results; no value of the query (the
// search words above all) reaches it.

describe('searchDetail', () => {
  it('names the filters used, sorted, and never their values or the search words', () => {
    const detail = searchDetail({ q: 'refund margarine', status: 'closed', visitorId: 'v_secret1', csatMin: 2, limit: 10 }, 3)
    expect(detail).toEqual({ filters: 'csatMin,status,visitorId', searched: true, page: 'first', count: 3 })
    expect(JSON.stringify(detail)).not.toMatch(/refund|margarine|v_secret1|closed/)
  })

  it('tells a plain first listing from a later page', () => {
    expect(searchDetail({}, 0)).toEqual({ filters: '', searched: false, page: 'first', count: 0 })
    expect(searchDetail({ before: '123.c_1' }, 50)).toEqual({ filters: '', searched: false, page: 'next', count: 50 })
  })
})
