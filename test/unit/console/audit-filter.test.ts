import { afterEach, describe, expect, it } from 'vitest'
import { auditQuery, NO_FILTERS } from '../../../widget/src/console/audit-filter.js'

// The audit log's filter form as GET /v1/audit's query: what the form holds, and nothing that does
// not parse (the relay would refuse it, and the admin would see an error instead of entries).

describe('audit filters', () => {
  const tz = process.env.TZ
  afterEach(() => { if (tz === undefined) delete process.env.TZ; else process.env.TZ = tz })

  it('asks for the newest page of everything when nothing is typed', () => {
    expect(auditQuery(NO_FILTERS)).toEqual({ limit: 50 })
  })

  it.each([
    ['agent:a_1', { actorKind: 'agent', actorId: 'a_1' }],
    [' key:k_9 ', { actorKind: 'key', actorId: 'k_9' }],
    ['system', { actorKind: 'system' }],
    ['agent:', { actorKind: 'agent' }],
    ['robot:x', {}],
    ['a_1', {}],
  ])('reads the actor %j', (actor, expected) => {
    expect(auditQuery({ ...NO_FILTERS, actor })).toEqual({ limit: 50, ...expected })
  })

  it('keeps a known action and drops an unknown one', () => {
    expect(auditQuery({ ...NO_FILTERS, action: 'key.create' }).action).toBe('key.create')
    expect(auditQuery({ ...NO_FILTERS, action: 'key.eat' }).action).toBeUndefined()
  })

  it('turns the time range into instants in the browser\'s zone and drops a malformed one', () => {
    process.env.TZ = 'UTC'
    const q = auditQuery({ ...NO_FILTERS, from: '2026-12-01T08:00', to: 'not a time' })
    expect(q.from).toBe(Date.UTC(2026, 11, 1, 8))
    expect(q.to).toBeUndefined()
  })

  it('continues at the cursor of the page shown', () => {
    expect(auditQuery({ ...NO_FILTERS, action: 'session.revoke' }, 'c_42')).toEqual({ limit: 50, action: 'session.revoke', cursor: 'c_42' })
  })
})
