import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestBrand, type TestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'

// Two relay nodes on one store: PATCHes of one brand's document through both at once must each
// keep the others' changes (every node queued its own writes, but the nodes raced each other).

const FIELDS = ['card', 'securityCode', 'ssn', 'iban', 'email', 'phone'] as const

describe('Configuration documents written through two nodes', () => {
  let a: TestRelay
  let b: TestRelay
  let brand: TestBrand
  beforeAll(async () => {
    a = await startRelay()
    b = await startRelay({ dataDir: a.dataDir })
    brand = await createTestBrand(a)
  })
  afterAll(async () => {
    await b.close()
    await a.close()
  })

  it('keeps every field of merge patches sent through both nodes at once', async () => {
    for (let round = 0; round < 5; round++) {
      expect((await callRest(a, { method: 'PUT', url: '/v1/masking', token: brand.apiKey, body: {} })).status).toBe(200)
      const answers = await Promise.all(FIELDS.map((field, i) => callRest(i % 2 === 0 ? a : b, {
        method: 'PATCH', url: '/v1/masking', token: brand.apiKey,
        headers: { 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify({ [field]: { replacement: `[${field}-${round}]` } }),
      })))
      expect(answers.map((r) => r.status)).toEqual(FIELDS.map(() => 200))
      const stored = (await callRest(b, { url: '/v1/masking', token: brand.apiKey })).body as Record<string, { replacement: string }>
      expect(Object.keys(stored).sort()).toEqual([...FIELDS].sort())
    }
  })
})
