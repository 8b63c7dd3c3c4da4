import { describe, expect, it } from 'vitest'
import type { Availability, Rule } from '@parley/sdk/contract'
import { buildVisitorFacts, factsKey, needsAvailability, type FactInputs } from '../../../widget/src/consumer/rule-facts.js'

// The visitor as deployment rules see them in the widget: page facts always, behavioural facts only
// with a tally (tracking allowed), availability facts once the poll answered.

const NOW = Date.parse('2026-12-03T10:00:00Z')
const base: FactInputs = {
  browser: { url: 'https://shop.example/pricing?utm_source=mail', title: 'Pricing', referrer: 'https://search.example/q', languages: ['fr-CA', 'en'], userAgent: 'UA' },
  tally: null, pageStart: NOW - 12_500, values: { plan: 'pro' }, consent: null, visitorId: null, dismissed: {}, availability: null, now: NOW,
}
const tally = { visitCount: 3, visitStart: NOW - 90_000, lastSeen: NOW - 12_500, pagesViewed: 4 }
const availability: Availability = { agentsAvailable: 2, queueLength: 1, inHours: true, country: 'FR', pollMs: 5000 }

describe('buildVisitorFacts', () => {
  it('gives page facts, values and consent, and no behavioural fact without a tally', () => {
    const f = buildVisitorFacts(base)
    expect(f).toEqual({
      url: base.browser.url, title: 'Pricing', referrer: 'https://search.example/q', language: 'fr-CA', userAgent: 'UA',
      consent: 'unset', values: { plan: 'pro' }, dismissed: {}, now: NOW,
    })
  })

  it('adds pages viewed, time on page and on site, visits and returning when tracking is allowed (a tally)', () => {
    expect(buildVisitorFacts({ ...base, tally })).toMatchObject({ pagesViewed: 4, timeOnPageSec: 12.5, timeOnSiteSec: 90, visitCount: 3, returning: true })
    expect(buildVisitorFacts({ ...base, tally: { ...tally, visitCount: 1 } }).returning).toBe(false)
  })

  it.each([[true, 'granted'], [false, 'denied'], [null, 'unset']] as const)('maps consent %s to %s', (consent, fact) => {
    expect(buildVisitorFacts({ ...base, consent }).consent).toBe(fact)
  })

  it('takes agents, queue and country from the availability answer, and the rollout id and dismissals as given', () => {
    const f = buildVisitorFacts({ ...base, availability, visitorId: 'v1', dismissed: { 'offer-a': NOW - 1000 } })
    expect(f).toMatchObject({ agentsAvailable: 2, queueLength: 1, country: 'FR', visitorId: 'v1', dismissed: { 'offer-a': NOW - 1000 } })
    const { country: _, ...unknownCountry } = availability
    expect(buildVisitorFacts({ ...base, availability: unknownCountry })).not.toHaveProperty('country')
  })

  it('clips what the page says to the lengths the contract takes, and leaves out an empty referrer', () => {
    const f = buildVisitorFacts({ ...base, browser: { ...base.browser, url: `https://a.example/${'x'.repeat(3000)}`, title: 't'.repeat(600), referrer: '' } })
    expect(f.url).toHaveLength(2048)
    expect(f.title).toHaveLength(512)
    expect(f).not.toHaveProperty('referrer')
  })
})

describe('factsKey', () => {
  it('is the same while only time passes, and changes with any other fact', () => {
    const a = buildVisitorFacts({ ...base, tally })
    const later = buildVisitorFacts({ ...base, tally, now: NOW + 60_000 })
    expect(factsKey(later)).toBe(factsKey(a))
    expect(factsKey(buildVisitorFacts({ ...base, tally, values: { plan: 'free' } }))).not.toBe(factsKey(a))
    expect(factsKey(buildVisitorFacts({ ...base, tally, availability }))).not.toBe(factsKey(a))
    expect(factsKey(buildVisitorFacts({ ...base, tally, dismissed: { x: NOW } }))).not.toBe(factsKey(a))
  })
})

describe('needsAvailability', () => {
  const button = { type: 'button' } as const
  it.each<[string, Rule[], boolean]>([
    ['no rules', [], false],
    ['page facts only', [{ id: 'a', when: { fact: 'path', op: 'prefix', value: '/x' }, action: button }], false],
    ['agents available, nested', [{ id: 'a', when: { all: [{ fact: 'path', op: 'is', value: '/' }, { not: { fact: 'agentsAvailable', op: 'gt', value: 0 } }] }, action: button }], true],
    ['queue length', [{ id: 'a', when: { any: [{ fact: 'queueLength', op: 'gte', value: 5 }] }, action: button }], true],
    ['country', [{ id: 'a', when: { fact: 'country', op: 'in', value: ['FR'] }, action: button }], true],
    ['an offline form', [{ id: 'a', action: { type: 'offline-form' } }], true],
    ['only a disabled rule uses it', [{ id: 'a', enabled: false, action: { type: 'offline-form' } }], false],
  ])('%s → %s', (_, rules, want) => {
    expect(needsAvailability(rules)).toBe(want)
  })
})
