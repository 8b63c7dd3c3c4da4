import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { BusinessHours, MaskingConfig, WidgetConfig } from '@parley/sdk/contract'
import type { Store } from '../../../../server/src/store/store.js'
import { STORES, type OpenedStore } from '../../../helpers/stores.js'
import { createStoreBrand } from '../../../helpers/brand.js'

// The documents a brand saves whole (widget settings, masking, deployment rules, business hours) and
// an agent's notification settings: what a brand that never saved one reads, the document read back
// as saved, replaced whole, kept per brand (and per agent), and kept across a restart.

const id = (prefix: string) => `${prefix}${randomBytes(8).toString('hex')}`

const widget: WidgetConfig = { color: '#112233', position: 'left' }
const masking: MaskingConfig = { card: { enabled: true, keep: 'first6last4' }, email: { enabled: false } }
const hours: BusinessHours = {
  timeZone: 'Europe/Paris',
  weekly: { mon: [{ from: '09:00', to: '12:00' }, { from: '14:00', to: '18:00' }], sat: [] },
  holidays: [{ from: '2026-12-24', to: '2026-12-26' }],
}

describe.each(STORES)('$name store: brand documents and agent settings', (factory) => {
  let opened: OpenedStore
  let store: Store
  beforeAll(async () => { opened = await factory.create(); store = opened.store })
  afterAll(async () => { await opened.dispose() })

  async function newAgent(brandId: string): Promise<string> {
    const agentId = id('a_')
    await store.createAgent({ brandId, agentId, email: `${agentId}@agents.example`, name: 'Dana', passwordHash: 'x', createdAt: 1 })
    return agentId
  }

  it('reads {} as the widget settings and null as every other document of a brand that never saved one', async () => {
    const b = await createStoreBrand(store)
    expect(await store.getWidgetConfig(b)).toEqual({})
    expect([await store.getMaskingConfig(b), await store.getRulesConfig(b), await store.getBusinessHours(b)]).toEqual([null, null, null])
  })

  it('reads every document back as saved, and after the store is opened again', async () => {
    const b = await createStoreBrand(store)
    await store.setWidgetConfig(b, widget)
    await store.setMaskingConfig(b, masking)
    await store.setRulesConfig(b, { rules: [] })
    await store.setBusinessHours(b, hours)
    const read = async () => [await store.getWidgetConfig(b), await store.getMaskingConfig(b), await store.getRulesConfig(b), await store.getBusinessHours(b)]
    expect(await read()).toEqual([widget, masking, { rules: [] }, hours])
    store = await opened.reopen()
    expect(await read()).toEqual([widget, masking, { rules: [] }, hours])
  })

  it('replaces a document whole, and clears the business hours with null', async () => {
    const b = await createStoreBrand(store)
    await store.setWidgetConfig(b, widget)
    await store.setWidgetConfig(b, { position: 'right' })
    expect(await store.getWidgetConfig(b)).toEqual({ position: 'right' })
    await store.setMaskingConfig(b, masking)
    await store.setMaskingConfig(b, { phone: { enabled: true } })
    expect(await store.getMaskingConfig(b)).toEqual({ phone: { enabled: true } })
    await store.setBusinessHours(b, hours)
    await store.setBusinessHours(b, null)
    expect(await store.getBusinessHours(b)).toBeNull()
  })

  it("keeps each brand's documents apart", async () => {
    const [a, b] = [await createStoreBrand(store), await createStoreBrand(store)]
    await store.setWidgetConfig(a, widget)
    await store.setMaskingConfig(a, masking)
    await store.setRulesConfig(a, { rules: [] })
    await store.setBusinessHours(a, hours)
    expect(await store.getWidgetConfig(b)).toEqual({})
    expect([await store.getMaskingConfig(b), await store.getRulesConfig(b), await store.getBusinessHours(b)]).toEqual([null, null, null])
  })

  it("reads null for an agent who never changed their settings, and the saved settings per agent", async () => {
    const b = await createStoreBrand(store)
    const [ana, ben] = [await newAgent(b), await newAgent(b)]
    expect(await store.getAgentSettings(b, ana)).toBeNull()
    await store.setAgentSettings(b, ana, { sound: false, desktop: true })
    expect(await store.getAgentSettings(b, ana)).toEqual({ sound: false, desktop: true })
    await store.setAgentSettings(b, ana, { sound: true, desktop: false })
    expect(await store.getAgentSettings(b, ana)).toEqual({ sound: true, desktop: false })
    expect(await store.getAgentSettings(b, ben)).toBeNull()
  })

  it("neither reads nor writes an agent's settings in another brand's name", async () => {
    const [a, other] = [await createStoreBrand(store), await createStoreBrand(store)]
    const ana = await newAgent(a)
    await store.setAgentSettings(a, ana, { sound: false, desktop: false })
    expect(await store.getAgentSettings(other, ana)).toBeNull()
    await store.setAgentSettings(other, ana, { sound: true, desktop: true })
    expect(await store.getAgentSettings(a, ana)).toEqual({ sound: false, desktop: false })
  })
})
