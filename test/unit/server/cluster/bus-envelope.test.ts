import { describe, expect, it } from 'vitest'
import { ENVELOPE_VERSION, MAX_ENVELOPE_EVENTS, MAX_GAP_BRANDS, parseEnvelope } from '../../../../server/src/cluster/bus-envelope.js'
import { DroppedBrands } from '../../../../server/src/cluster/dropped-brands.js'

// What a node accepts from the bus channel, and what it announces after dropped publishes.

const event = { brandId: 'b', audience: { kind: 'conversation', convId: 'c', visitorId: 'v' }, frame: { type: 'typing.start', convId: 'c' } }

describe('parseEnvelope', () => {
  it('accepts an event of this version', () => {
    expect(parseEnvelope(JSON.stringify({ v: ENVELOPE_VERSION, n: 'n1', e: event }))).toEqual({ v: ENVELOPE_VERSION, n: 'n1', e: event })
  })

  it('accepts the events of one turn, in order', () => {
    const second = { ...event, frame: { type: 'typing.stop', convId: 'c' } }
    expect(parseEnvelope(JSON.stringify({ v: 1, n: 'n1', es: [event, second] }))).toEqual({ v: 1, n: 'n1', es: [event, second] })
  })

  it('leaves a malformed event of a batch out, names why, and keeps the others', () => {
    const bad = { ...event, audience: { kind: 'everyone' } }
    expect(parseEnvelope(JSON.stringify({ v: 1, n: 'n1', es: [bad, event] }))).toEqual({ v: 1, n: 'n1', es: [event], refusedEvents: ['unknown audience'] })
  })

  it('accepts a gap naming brands, or all', () => {
    expect(parseEnvelope(JSON.stringify({ v: 1, n: 'n1', gap: ['a'] }))).toEqual({ v: 1, n: 'n1', gap: ['a'] })
    expect(parseEnvelope(JSON.stringify({ v: 1, n: 'n1', gap: 'all' }))).toEqual({ v: 1, n: 'n1', gap: 'all' })
  })

  it('accepts a node event (a brand document saved)', () => {
    for (const document of ['masking', 'security', 'webhooks', 'widget']) {
      const node = { kind: 'brand-document-saved', brandId: 'b', document }
      expect(parseEnvelope(JSON.stringify({ v: 1, n: 'n1', node }))).toEqual({ v: 1, n: 'n1', node })
    }
  })

  it('accepts a visitor-erased note, naming visitors and conversations', () => {
    const node = { kind: 'visitor-erased', brandId: 'b', visitorIds: ['v1'], convIds: ['c1', 'c2'] }
    expect(parseEnvelope(JSON.stringify({ v: 1, n: 'n1', node }))).toEqual({ v: 1, n: 'n1', node })
  })

  const junk: [string, string][] = [
    ['not JSON', '{'],
    ['a visitor-erased note without its conversations', JSON.stringify({ v: 1, n: 'n1', node: { kind: 'visitor-erased', brandId: 'b', visitorIds: ['v1'] } })],
    ['an unknown node event', JSON.stringify({ v: 1, n: 'n1', node: { kind: 'reboot', brandId: 'b' } })],
    ['a node event of an unknown document', JSON.stringify({ v: 1, n: 'n1', node: { kind: 'brand-document-saved', brandId: 'b', document: 'x' } })],
    ['a number', '5'],
    ['null', 'null'],
    ['no version (an older node)', JSON.stringify({ n: 'n1', e: event })],
    ['a newer version', JSON.stringify({ v: 2, n: 'n1', e: event })],
    ['no node id', JSON.stringify({ v: 1, e: event })],
    ['no event', JSON.stringify({ v: 1, n: 'n1' })],
    ['an unknown audience kind', JSON.stringify({ v: 1, n: 'n1', e: { ...event, audience: { kind: 'everyone' } } })],
    ['an audience missing its conversation', JSON.stringify({ v: 1, n: 'n1', e: { ...event, audience: { kind: 'brand' } } })],
    ['a frame without a type', JSON.stringify({ v: 1, n: 'n1', e: { ...event, frame: {} } })],
    ['a numeric brand', JSON.stringify({ v: 1, n: 'n1', e: { ...event, brandId: 5 } })],
    ['a malformed gap', JSON.stringify({ v: 1, n: 'n1', gap: [1] })],
    ['a batch that is not a list', JSON.stringify({ v: 1, n: 'n1', es: event })],
    ['a batch over its bound', JSON.stringify({ v: 1, n: 'n1', es: Array.from({ length: MAX_ENVELOPE_EVENTS + 1 }, () => event) })],
    ['a non-string onlyIdentity', JSON.stringify({ v: 1, n: 'n1', e: { ...event, onlyIdentity: {} } })],
  ]
  it.each(junk)('refuses %s', (_what, json) => {
    expect(parseEnvelope(json)).toHaveProperty('refused')
  })
})

describe('DroppedBrands', () => {
  it('announces the brands dropped since the last announcement, once', () => {
    const d = new DroppedBrands()
    expect(d.isEmpty).toBe(true)
    d.add('a'); d.add('b'); d.add('a')
    expect(d.take()).toEqual(['a', 'b'])
    expect(d.isEmpty).toBe(true)
  })

  it('says all past its bound', () => {
    const d = new DroppedBrands(MAX_GAP_BRANDS)
    for (let i = 0; i <= MAX_GAP_BRANDS; i++) d.add(`b${i}`)
    expect(d.take()).toBe('all')
  })

  it('keeps an announcement that failed for the next one, with what was dropped meanwhile', () => {
    const d = new DroppedBrands()
    d.add('a')
    const taken = d.take()
    d.add('b')
    d.restore(taken)
    expect(new Set(d.take())).toEqual(new Set(['a', 'b']))
  })
})
