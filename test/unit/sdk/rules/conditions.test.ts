import { describe, expect, it } from 'vitest'
import type { Condition, VisitorFacts } from '../../../../sdk/src/contract/rules.js'
import { decide } from '../../../../sdk/src/rules/rules.js'

// Every fact with every operator that fits it, as (condition, holds, reason when it does not)
// rows against one visitor who has every fact, then against one who has none but the url.

const NOW = Date.parse('2026-12-02T10:00:00Z')
const FULL: VisitorFacts = {
  url: 'https://shop.example/Pricing/Team?plan=Pro&utm_source=Newsletter&utm_medium=email&utm_campaign=winter&utm_term=chat&utm_content=hero',
  title: 'Pricing for Teams', referrer: 'https://www.google.com/search?q=x', pagesViewed: 3, timeOnPageSec: 12, timeOnSiteSec: 95, visitCount: 4,
  returning: true, userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  language: 'fr-FR', country: 'FR', agentsAvailable: 2, queueLength: 5, consent: 'granted', values: { tier: 'Gold', cartItems: 3, vip: true }, visitorId: 'v1',
}
const BARE: VisitorFacts = { url: 'junk' }

/** Whether `when` holds for `visitor`, and the trace's reason when it does not. */
function run(when: Condition, visitor: VisitorFacts): [boolean, string | undefined] {
  const d = decide([{ id: 'r', when, action: { type: 'hide' } }], visitor, null, NOW)
  return [d.ruleId === 'r', d.trace[0]!.reason]
}

type Row = [Condition, boolean, string?]
const ROWS: Row[] = [
  // Strings: is, prefix, contains, glob, in, exists; case ignored unless caseSensitive.
  [{ fact: 'url', op: 'prefix', value: 'https://shop.example/pricing' }, true],
  [{ fact: 'url', op: 'contains', value: 'utm_source=newsletter' }, true],
  [{ fact: 'path', op: 'is', value: '/pricing/team' }, true],
  [{ fact: 'path', op: 'is', value: '/pricing/team', caseSensitive: true }, false, 'path is "/pricing/team" was "/Pricing/Team"'],
  [{ fact: 'path', op: 'is', value: '/Pricing/Team', caseSensitive: true }, true],
  [{ fact: 'path', op: 'prefix', value: '/pricing' }, true],
  [{ fact: 'path', op: 'prefix', value: '/blog' }, false, 'path prefix "/blog" was "/Pricing/Team"'],
  [{ fact: 'path', op: 'contains', value: 'team' }, true],
  [{ fact: 'path', op: 'glob', value: '/pricing*' }, true],
  [{ fact: 'path', op: 'glob', value: '/PRICING/*' }, true],
  [{ fact: 'path', op: 'glob', value: '/pricing/*', caseSensitive: true }, false, 'path glob "/pricing/*" was "/Pricing/Team"'],
  [{ fact: 'path', op: 'glob', value: '/blog*' }, false, 'path glob "/blog*" was "/Pricing/Team"'],
  [{ fact: 'path', op: 'in', value: ['/', '/pricing/team'] }, true],
  [{ fact: 'path', op: 'in', value: ['/', '/pricing'] }, false, 'path in ["/","/pricing"] was "/Pricing/Team"'],
  [{ fact: 'path', op: 'exists' }, true],
  [{ fact: 'title', op: 'contains', value: 'TEAMS' }, true],
  [{ fact: 'referrerHost', op: 'is', value: 'google.com' }, true],
  [{ fact: 'referrerHost', op: 'glob', value: '*.google.*' }, false, 'referrerHost glob "*.google.*" was "google.com"'],
  [{ fact: 'language', op: 'prefix', value: 'fr' }, true],
  [{ fact: 'language', op: 'is', value: 'fr-fr' }, true],
  [{ fact: 'country', op: 'in', value: ['fr', 'be'] }, true],
  [{ fact: 'country', op: 'is', value: 'DE' }, false, 'country is "DE" was "FR"'],
  [{ fact: 'device', op: 'is', value: 'mobile' }, true],
  [{ fact: 'browser', op: 'is', value: 'safari' }, true],
  [{ fact: 'os', op: 'is', value: 'ios' }, true],
  [{ fact: 'utmSource', op: 'is', value: 'newsletter' }, true],
  [{ fact: 'utmMedium', op: 'is', value: 'email' }, true],
  [{ fact: 'utmCampaign', op: 'prefix', value: 'win' }, true],
  [{ fact: 'utmTerm', op: 'exists' }, true],
  [{ fact: 'utmContent', op: 'in', value: ['hero', 'footer'] }, true],
  [{ fact: 'consent', op: 'is', value: 'granted' }, true],
  [{ fact: 'query', name: 'plan', op: 'is', value: 'pro' }, true],
  [{ fact: 'query', name: 'plan', op: 'is', value: 'pro', caseSensitive: true }, false, 'query.plan is "pro" was "Pro"'],
  [{ fact: 'query', name: 'coupon', op: 'exists' }, false, 'query.coupon missing'],
  [{ fact: 'query', name: 'toString', op: 'exists' }, false, 'query.toString missing'],
  // Numbers: eq, gt, gte, lt, lte.
  [{ fact: 'pagesViewed', op: 'eq', value: 3 }, true],
  [{ fact: 'pagesViewed', op: 'gt', value: 3 }, false, 'pagesViewed gt 3 was 3'],
  [{ fact: 'pagesViewed', op: 'gte', value: 3 }, true],
  [{ fact: 'timeOnPageSec', op: 'gte', value: 5 }, true],
  [{ fact: 'timeOnPageSec', op: 'lt', value: 12 }, false, 'timeOnPageSec lt 12 was 12'],
  [{ fact: 'timeOnSiteSec', op: 'lte', value: 95 }, true],
  [{ fact: 'visitCount', op: 'gt', value: 1 }, true],
  [{ fact: 'agentsAvailable', op: 'eq', value: 0 }, false, 'agentsAvailable eq 0 was 2'],
  [{ fact: 'queueLength', op: 'lt', value: 10 }, true],
  // Booleans: is.
  [{ fact: 'returning', op: 'is', value: true }, true],
  [{ fact: 'returning', op: 'is', value: false }, false, 'returning is false was true'],
  [{ fact: 'businessHours', op: 'is', value: true }, true],
  [{ fact: 'holiday', op: 'is', value: false }, true],
  // Page values compare by the stored value's type.
  [{ fact: 'value', name: 'tier', op: 'is', value: 'gold' }, true],
  [{ fact: 'value', name: 'tier', op: 'in', value: ['silver', 'gold'] }, true],
  [{ fact: 'value', name: 'tier', op: 'gt', value: 1 }, false, 'value.tier gt 1 was "Gold"'],
  [{ fact: 'value', name: 'cartItems', op: 'gte', value: 3 }, true],
  [{ fact: 'value', name: 'cartItems', op: 'is', value: 3 }, true],
  [{ fact: 'value', name: 'cartItems', op: 'is', value: '3' }, false, 'value.cartItems is "3" was 3'],
  [{ fact: 'value', name: 'vip', op: 'is', value: true }, true],
  [{ fact: 'value', name: 'vip', op: 'is', value: 'true' }, false, 'value.vip is "true" was true'],
  [{ fact: 'value', name: 'vip', op: 'exists' }, true],
  [{ fact: 'value', name: 'missing', op: 'exists' }, false, 'value.missing missing'],
  // Ill-fitting pairs (refused on save) are false, never an error.
  [{ fact: 'path', op: 'gt', value: 3 }, false, 'path gt 3 was "/Pricing/Team"'],
  [{ fact: 'pagesViewed', op: 'is', value: 'three' }, false, 'pagesViewed is "three" was 3'],
  [{ fact: 'path', op: 'in', value: 'not a list' }, false, 'path in "not a list" was "/Pricing/Team"'],
  // all / any / not, with their reasons.
  [{ all: [{ fact: 'returning', op: 'is', value: true }, { fact: 'path', op: 'prefix', value: '/pricing' }] }, true],
  [{ all: [{ fact: 'returning', op: 'is', value: true }, { fact: 'path', op: 'prefix', value: '/blog' }, { fact: 'country', op: 'is', value: 'DE' }] }, false, 'path prefix "/blog" was "/Pricing/Team"'],
  [{ any: [{ fact: 'path', op: 'prefix', value: '/blog' }, { fact: 'country', op: 'is', value: 'FR' }] }, true],
  [{ any: [{ fact: 'path', op: 'prefix', value: '/blog' }, { fact: 'country', op: 'is', value: 'DE' }] }, false, 'path prefix "/blog" was "/Pricing/Team"'],
  [{ not: { fact: 'country', op: 'is', value: 'DE' } }, true],
  [{ not: { fact: 'country', op: 'is', value: 'FR' } }, false, 'not (country is "FR" was "FR")'],
  [{ not: { all: [{ fact: 'returning', op: 'is', value: true }, { fact: 'visitCount', op: 'gte', value: 2 }] } }, false, 'not (returning is true was true)'],
  [{ not: { any: [{ fact: 'device', op: 'is', value: 'tablet' }, { fact: 'device', op: 'is', value: 'mobile' }] } }, false, 'not (device is "mobile" was "mobile")'],
]

describe('a visitor with every fact', () => {
  it.each(ROWS.map((r) => [JSON.stringify(r[0]), ...r] as const))('%s', (_name, when, expected, reason) => {
    expect(run(when, FULL)).toEqual([expected, expected ? undefined : reason])
  })
})

// The same tests against a visitor with no facts but a junk url: every fact test is false and
// says "missing"; `not` of it is true. Business hours without hours are always open, so they stay.
const ALWAYS_KNOWN = new Set(['url', 'businessHours', 'holiday'])
const FACT_TESTS = ROWS.map((r) => r[0]).filter((c): c is Extract<Condition, { fact: string }> => 'fact' in c && !ALWAYS_KNOWN.has(c.fact))

describe('a visitor missing every fact', () => {
  it.each(FACT_TESTS.map((c) => [JSON.stringify(c), c] as const))('%s is false, and its not is true', (_name, test) => {
    const label = test.name === undefined ? test.fact : `${test.fact}.${test.name}`
    expect(run(test, BARE)).toEqual([false, `${label} missing`])
    expect(run({ not: test }, BARE)).toEqual([true, undefined])
  })

  it('treats an empty string as missing', () => {
    expect(run({ fact: 'title', op: 'exists' }, { url: '/', title: '' })).toEqual([false, 'title missing'])
    expect(run({ fact: 'query', name: 'q', op: 'exists' }, { url: '/?q=' })).toEqual([false, 'query.q missing'])
    expect(run({ fact: 'value', name: 'v', op: 'is', value: '' }, { url: '/', values: { v: '' } })).toEqual([false, 'value.v missing'])
  })

  it('reads no fact from the prototype of values', () => {
    expect(run({ fact: 'value', name: 'constructor', op: 'exists' }, { url: '/', values: {} })).toEqual([false, 'value.constructor missing'])
  })
})
