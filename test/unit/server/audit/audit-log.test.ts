import { describe, expect, it } from 'vitest'
import type { SecurityConfig } from '@parley/sdk/contract'
import { createAuditLog, inputOfRequest } from '../../../../server/src/audit/audit-log.js'
import type { AuditRecord } from '../../../../server/src/store/store.js'
import { createFakeClock } from '../../../helpers/fake-clock.js'

// The entry an edge's request becomes: the actor from the principal, the time from the clock, the
// address as the brand's setting keeps it, and defaults for what the edge left out.

function harness(config: SecurityConfig | null) {
  const rows: AuditRecord[] = []
  const clock = createFakeClock(1_000)
  const audit = createAuditLog({ store: { appendAudit: async (e) => { rows.push(...e) } }, clock, settings: async () => config })
  return { rows, audit }
}

describe('createAuditLog', () => {
  it('records a request as its principal, from its address truncated by default', async () => {
    const { rows, audit } = harness(null)
    await audit.recordRequest({ principal: { kind: 'brand', brandId: 'b1', keyId: 'k1', scopes: [] }, ip: '203.0.113.9' }, { action: 'config.change', detail: { document: 'rules' } })
    expect(rows).toEqual([{
      brandId: 'b1', at: 1_000, actor: { kind: 'key', id: 'k1' }, action: 'config.change', resource: null, outcome: 'ok', code: null,
      address: '203.0.113.0/24', detail: { document: 'rules' },
    }])
  })

  it('keeps the address as the brand says: full or none', async () => {
    const full = harness({ addresses: 'full' })
    const none = harness({ addresses: 'none' })
    const req = { principal: { kind: 'agent' as const, brandId: 'b1', agentId: 'a1', role: 'admin' as const, sessionId: 's1' }, ip: '2001:db8:1:2::9' }
    await full.audit.recordRequest(req, { action: 'conversation.read' })
    await none.audit.recordRequest(req, { action: 'conversation.read' })
    expect(full.rows[0]).toMatchObject({ actor: { kind: 'agent', id: 'a1' }, address: '2001:db8:1:2::9' })
    expect(none.rows[0]!.address).toBeNull()
  })

  it('refuses to build an entry for a request with no principal (a miswired route)', () => {
    expect(() => inputOfRequest({ principal: null, ip: '127.0.0.1' }, { action: 'conversation.read' })).toThrow(/no principal/)
  })
})
