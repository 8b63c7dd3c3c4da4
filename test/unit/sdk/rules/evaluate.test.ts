import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Rule, VisitorFacts } from '../../../../sdk/src/contract/rules.js'
import { decide, deriveFacts, evaluateRules, formatDecision, rolloutBucket } from '../../../../sdk/src/rules/rules.js'

// The decision: rule order, what holds a rule back (disabled, expired, capped, not-matched, control),
// the trace, rollouts and the text Parley('why') prints.

const NOW = Date.parse('2026-12-02T10:00:00Z')
const DAY = 86_400_000
const visitor: VisitorFacts = { url: 'https://shop.example/pricing', returning: true, visitorId: 'visitor-1' }
const onPricing = { fact: 'path', op: 'prefix', value: '/pricing' } as const
const offer = { type: 'offer', text: '10% off', code: 'WINTER' } as const
const invite = { type: 'invite', message: 'Questions?' } as const

describe('evaluateRules', () => {
  it('gives the chat button with an empty trace when there are no rules', () => {
    expect(decide([], visitor, null, NOW)).toEqual({ action: { type: 'button' }, ruleId: null, arm: null, trace: [] })
  })

  it('takes the first rule that holds and traces every rule up to it, not after', () => {
    const rules: Rule[] = [
      { id: 'blog', when: { fact: 'path', op: 'prefix', value: '/blog' }, action: { type: 'hide' } },
      { id: 'pricing', when: onPricing, action: offer },
      { id: 'everyone', action: invite },
    ]
    expect(decide(rules, visitor, null, NOW)).toEqual({
      action: offer, ruleId: 'pricing', arm: null,
      trace: [{ ruleId: 'blog', result: 'not-matched', reason: 'path prefix "/blog" was "/pricing"' }, { ruleId: 'pricing', result: 'matched' }],
    })
  })

  it('treats a rule without conditions as always holding', () => {
    expect(decide([{ id: 'all', action: { type: 'offline-form' } }], visitor, null, NOW).action).toEqual({ type: 'offline-form' })
  })

  it('gives the chat button with the whole trace when no rule acts', () => {
    const d = decide([{ id: 'a', when: { fact: 'country', op: 'is', value: 'FR' }, action: { type: 'hide' } }, { id: 'b', enabled: false, action: { type: 'hide' } }], visitor, null, NOW)
    expect(d).toEqual({
      action: { type: 'button' }, ruleId: null, arm: null,
      trace: [{ ruleId: 'a', result: 'not-matched', reason: 'country missing' }, { ruleId: 'b', result: 'disabled' }],
    })
  })

  it.each([
    ['disabled', { id: 'r', enabled: false, action: { type: 'hide' } }, {}, { ruleId: 'r', result: 'disabled' }],
    ['an offer at its expiry', { id: 'r', action: { ...offer, expiresAt: '2026-12-02T10:00:00Z' } }, {}, { ruleId: 'r', result: 'expired', reason: 'expired at 2026-12-02T10:00:00Z' }],
    ['an offer past its expiry, written with an offset', { id: 'r', action: { ...offer, expiresAt: '2026-12-02T10:59:00+01:00' } }, {}, { ruleId: 'r', result: 'expired', reason: 'expired at 2026-12-02T10:59:00+01:00' }],
    ['an invitation dismissed inside its cap', { id: 'r', cap: { days: 7 }, action: invite }, { dismissed: { r: NOW - 6 * DAY } }, { ruleId: 'r', result: 'capped', reason: 'dismissed; capped until 2026-12-03T10:00:00.000Z' }],
    ['an offer dismissed inside its cap', { id: 'r', cap: { days: 1 }, action: offer }, { dismissed: { r: NOW - 1 } }, { ruleId: 'r', result: 'capped', reason: 'dismissed; capped until 2026-12-03T09:59:59.999Z' }],
    ['a rollout without a visitor id', { id: 'r', rollout: { percent: 100 }, action: invite }, { visitorId: undefined }, { ruleId: 'r', result: 'control', reason: 'no visitor id' }],
    ['a rollout at 0%', { id: 'r', rollout: { percent: 0 }, action: invite }, {}, { ruleId: 'r', result: 'control', reason: `bucket ${rolloutBucket('visitor-1', 'r')} not under 0%` }],
  ] as [string, Rule, Partial<VisitorFacts>, object][])('holds back a rule: %s', (_name, rule, extra, entry) => {
    const d = decide([rule], { ...visitor, ...extra }, null, NOW)
    expect(d).toEqual({ action: { type: 'button' }, ruleId: null, arm: null, trace: [entry] })
  })

  it.each([
    ['an offer before its expiry', { id: 'r', action: { ...offer, expiresAt: '2026-12-02T10:00:01Z' } }, {}],
    ['an invitation whose cap has run out', { id: 'r', cap: { days: 7 }, action: invite }, { dismissed: { r: NOW - 7 * DAY } }],
    ['an invitation dismissed, without a cap', { id: 'r', action: invite }, { dismissed: { r: NOW - 1 } }],
    ['a dismissed button rule (caps are for invitations and offers)', { id: 'r', cap: { days: 7 }, action: { type: 'offline-form' } }, { dismissed: { r: NOW - 1 } }],
    ['a cap of another rule', { id: 'r', cap: { days: 7 }, action: invite }, { dismissed: { other: NOW - 1 } }],
  ] as [string, Rule, Partial<VisitorFacts>][])('lets a rule act: %s', (_name, rule, extra) => {
    expect(decide([rule], { ...visitor, ...extra }, null, NOW).ruleId).toBe('r')
  })

  it('never caps a rule whose id is a name objects inherit', () => {
    expect(decide([{ id: 'constructor', cap: { days: 7 }, action: invite }], visitor, null, NOW).ruleId).toBe('constructor')
  })

  it('falls through a held-back rule to the next', () => {
    const rules: Rule[] = [{ id: 'capped', cap: { days: 3 }, action: invite }, { id: 'next', action: offer }]
    const d = decide(rules, { ...visitor, dismissed: { capped: NOW - DAY } }, null, NOW)
    expect([d.ruleId, d.trace.map((e) => e.result)]).toEqual(['next', ['capped', 'matched']])
  })

  it('checks conditions before the rollout, so the control arm is the population that matched', () => {
    const rule: Rule = { id: 'r', when: { fact: 'country', op: 'is', value: 'FR' }, rollout: { percent: 0 }, action: invite }
    expect(decide([rule], visitor, null, NOW).trace[0]!.result).toBe('not-matched')
    expect(decide([rule], { ...visitor, country: 'FR' }, null, NOW).trace[0]!.result).toBe('control')
  })

  it('says the treatment arm for a deciding rule with a rollout, null without', () => {
    expect(decide([{ id: 'r', rollout: { percent: 100 }, action: invite }], visitor, null, NOW).arm).toBe('treatment')
    expect(decide([{ id: 'r', action: invite }], visitor, null, NOW).arm).toBeNull()
  })

  it('decides at the visitor\'s now when given, under the brand\'s hours', () => {
    const rules: Rule[] = [{ id: 'closed', when: { fact: 'businessHours', op: 'is', value: false }, action: { type: 'offline-form' } }]
    const hours = { timeZone: 'Europe/Paris', weekly: { wed: [{ from: '09:00', to: '17:00' }] } }
    expect(decide(rules, visitor, hours, NOW).ruleId).toBeNull()
    expect(decide(rules, { ...visitor, now: NOW + 7 * 3600_000 }, hours, NOW).ruleId).toBe('closed')
  })
})

describe('rollout', () => {
  it('puts the same visitor in the same arm every time', () => {
    const rule: Rule = { id: 'ab', rollout: { percent: 50 }, action: invite }
    const arms = Array.from({ length: 20 }, () => decide([rule], visitor, null, NOW).trace[0]!.result)
    expect(new Set(arms).size).toBe(1)
  })

  it('hashes visitor and rule together: FNV-1a, mixed, of "visitor-1:ab" is a fixed bucket', () => {
    // The bucket is part of the contract: widget, SDK and relay must agree, across versions too.
    // Expected values computed apart, with a few lines of Python over the same string.
    expect([rolloutBucket('visitor-1', 'ab'), rolloutBucket('visitor-1', 'ac'), rolloutBucket('visitor-2', 'ab')]).toEqual([18.65, 31.73, 35.92])
  })

  it('gives the treatment arm to a share of visitors within 3 points of the percent', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 100 }), fc.string({ minLength: 1, maxLength: 20 }), fc.string({ maxLength: 8 }), (percent, ruleSeed, prefix) => {
      const ruleId = ruleSeed.toLowerCase().replace(/[^a-z0-9]/g, 'x')
      const rules: Rule[] = [{ id: ruleId, rollout: { percent }, action: invite }]
      let treated = 0
      const n = 4000
      for (let i = 0; i < n; i++) {
        if (evaluateRules(rules, deriveFacts({ url: '/', visitorId: `${prefix}${i}` }, null, NOW)).arm === 'treatment') treated++
      }
      return Math.abs((treated / n) * 100 - percent) <= 3
    }), { numRuns: 40 })
  })
})

describe('formatDecision', () => {
  it('prints the action, the deciding rule and arm, then each trace entry', () => {
    const rules: Rule[] = [
      { id: 'blog', when: { fact: 'path', op: 'glob', value: '/blog*' }, action: { type: 'hide' } },
      { id: 'off', enabled: false, action: { type: 'hide' } },
      { id: 'pricing-offer', when: onPricing, rollout: { percent: 100 }, action: offer },
    ]
    expect(formatDecision(decide(rules, visitor, null, NOW))).toBe([
      'Parley shows: offer (rule "pricing-offer", treatment arm)',
      '  blog: not-matched: path glob "/blog*" was "/pricing"',
      '  off: disabled',
      '  pricing-offer: matched',
    ].join('\n'))
  })

  it('says when no rule matched', () => {
    expect(formatDecision(decide([{ id: 'x', when: { fact: 'country', op: 'exists' }, action: { type: 'hide' } }], visitor, null, NOW))).toBe(
      'Parley shows: button (no rule matched)\n  x: not-matched: country missing')
  })
})
