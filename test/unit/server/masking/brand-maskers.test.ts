import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSqliteStore } from '../../../../server/src/store/sqlite/sqlite-store.js'
import type { Store } from '../../../../server/src/store/store.js'
import { BrandMaskers } from '../../../../server/src/masking/brand-maskers.js'
import { re2Compiler } from '../../../../server/src/masking/re2-compiler.js'
import { createInProcessBus } from '../../../../server/src/bus/in-process.js'
import type { Bus, GapBrands } from '../../../../server/src/bus/bus.js'
import { tempDir } from '../../../helpers/temp-dir.js'

const CARD = '4111 1111 1111 1111'

describe('BrandMaskers', () => {
  const dir = tempDir('parley-maskers-')
  let store: Store
  let n = 0
  beforeAll(() => { store = createSqliteStore({ file: join(dir.dir, 'parley.db') }) })
  afterAll(async () => { await store.close(); dir.remove() })

  async function brand(): Promise<string> {
    const brandId = `b_${++n}`
    await store.createBrand({ brandId, name: 'B', siteKey: `site_${n}`, allowedOrigins: [], apiKeyHash: `hash_${n}`, createdAt: 0 })
    return brandId
  }

  it("compiles a brand's saved configuration once, and the defaults for a brand that never saved one", async () => {
    const [saved, never] = [await brand(), await brand()]
    await store.setMaskingConfig(saved, { card: { replacement: '[number]' } })
    const maskers = new BrandMaskers(store, re2Compiler, createInProcessBus())
    expect(maskers.peek(saved)).toBeUndefined()
    const m = await maskers.get(saved)
    expect(m.mask(CARD).text).toBe('[number]')
    expect(maskers.peek(saved)).toBe(m)
    expect((await maskers.get(never)).mask(CARD).text).toBe('[card]')
  })

  it('uses a saved masker from the moment it is saved, even over a load that read the store before', async () => {
    const b = await brand()
    const maskers = new BrandMaskers(store, re2Compiler, createInProcessBus())
    const checked = maskers.check({ card: { replacement: '[new]' } })
    if (!checked.ok) throw new Error('refused')
    // The load reads the store (no configuration yet) now, and finishes after the save.
    const loading = maskers.get(b)
    maskers.saved(b, checked.masker)
    expect((await loading).mask(CARD).text).toBe('[new]')
    expect(maskers.peek(b)?.mask(CARD).text).toBe('[new]')
  })

  it('refuses a configuration naming the first pattern the engine would not run, and why', () => {
    const maskers = new BrandMaskers(store, re2Compiler, createInProcessBus())
    const checked = maskers.check({ patterns: [{ name: 'ok', pattern: 'A[0-9]{3}' }, { name: 'slow', pattern: '(a+)+$' }] })
    expect(checked).toMatchObject({ ok: false, problem: { name: 'slow' } })
    expect(checked.ok ? '' : checked.problem.reason).not.toBe('')
  })

  it('keeps at most its bound of brands, dropping the least recently used', async () => {
    const [a, b, c] = [await brand(), await brand(), await brand()]
    const maskers = new BrandMaskers(store, re2Compiler, createInProcessBus(), 2)
    await maskers.get(a)
    await maskers.get(b)
    maskers.peek(a)
    await maskers.get(c)
    expect([maskers.peek(a) !== undefined, maskers.peek(b) !== undefined, maskers.peek(c) !== undefined]).toEqual([true, false, true])
  })

  it("makes every node on the bus forget the brand's masker when one node saves a configuration", async () => {
    const b = await brand()
    const bus = createInProcessBus()
    const [nodeA, nodeB] = [new BrandMaskers(store, re2Compiler, bus), new BrandMaskers(store, re2Compiler, bus)]
    expect((await nodeB.get(b)).mask(CARD).text).toBe('[card]')
    const config = { card: { replacement: '[new]' } }
    const checked = nodeA.check(config)
    if (!checked.ok) throw new Error('refused')
    await store.setMaskingConfig(b, config)
    nodeA.saved(b, checked.masker)
    expect(nodeA.peek(b)?.mask(CARD).text).toBe('[new]')
    expect(nodeB.peek(b)).toBeUndefined()
    expect((await nodeB.get(b)).mask(CARD).text).toBe('[new]')
  })

  it("forgets the maskers of the brands whose events the bus says may have been missed", async () => {
    const [a, b, c] = [await brand(), await brand(), await brand()]
    const bus = gappyBus()
    const maskers = new BrandMaskers(store, re2Compiler, bus)
    for (const x of [a, b, c]) await maskers.get(x)
    bus.gap(new Set([a]))
    expect([maskers.peek(a), maskers.peek(b) !== undefined, maskers.peek(c) !== undefined]).toEqual([undefined, true, true])
    bus.gap('all')
    expect([maskers.peek(b), maskers.peek(c)]).toEqual([undefined, undefined])
  })
})

/** An in-process bus that can report a gap, as a node's Redis bus does when its link comes back. */
function gappyBus(): Bus & { gap(brands: GapBrands): void } {
  const bus = createInProcessBus()
  const handlers = new Set<(brands: GapBrands) => void>()
  return {
    ...bus,
    onGap(h) { handlers.add(h); return () => { handlers.delete(h) } },
    gap(brands) { for (const h of handlers) h(brands) },
  }
}
