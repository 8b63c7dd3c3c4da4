import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import type { VisitorContext } from '@parley/sdk/contract'
import { MAX_SHARED_LENGTH, SharedStrings } from '../../../../server/src/relay/shared-strings.js'

// Visitors' contexts keep one copy of each string many of them share: measured on the heap, since
// JavaScript cannot tell two equal strings apart. This file runs in a process of its own
// (vitest.config.ts), so exposing gc reaches no other file.

setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

const CONTEXT = JSON.stringify({
  url: `https://shop.example/landing/${'x'.repeat(400)}`, title: `Spring sale ${'t'.repeat(300)}`, language: 'en-GB',
  userAgent: `Mozilla/5.0 (X11; Linux x86_64) ${'y'.repeat(400)}`, timezone: 'Europe/London', screen: '1920x1080', pagesViewed: 1,
})

/** Heap bytes that `count` contexts parsed from one JSON text hold, each passed through `keep`. */
function heldBy(count: number, keep: (c: VisitorContext) => VisitorContext): number {
  gc()
  const before = process.memoryUsage().heapUsed
  const held = Array.from({ length: count }, () => keep(JSON.parse(CONTEXT) as VisitorContext))
  gc()
  const bytes = process.memoryUsage().heapUsed - before
  expect(held).toHaveLength(count)
  return bytes
}

describe('SharedStrings', () => {
  it('keeps one copy of the strings equal contexts share', () => {
    const copies = heldBy(4000, (c) => c)
    const strings = new SharedStrings()
    const shared = heldBy(4000, (c) => strings.share(c))
    // About 1.2 KB of strings a context: 4.8 MB as copies; shared, the objects alone remain.
    expect(copies).toBeGreaterThan(4_000_000)
    expect(shared).toBeLessThan(copies / 4)
  })

  it('changes no value and returns the context it was given', () => {
    const strings = new SharedStrings()
    const first = strings.share(JSON.parse(CONTEXT) as VisitorContext)
    const context = JSON.parse(CONTEXT) as VisitorContext
    expect(strings.share(context)).toBe(context)
    expect(context).toEqual(first)
  })

  it('leaves empty and long strings, other fields and a missing context alone', () => {
    const strings = new SharedStrings()
    const long = `https://shop.example/search?q=${'z'.repeat(MAX_SHARED_LENGTH)}`
    const context = { url: long, referrer: '', values: { plan: 'pro' } } as VisitorContext
    expect(strings.share(context)).toEqual({ url: long, referrer: '', values: { plan: 'pro' } })
    expect(strings.size).toBe(0)
    expect(strings.share(null)).toBeNull()
  })

  it('starts over past its bound rather than growing', () => {
    const strings = new SharedStrings(10)
    for (let i = 0; i < 100; i++) strings.share({ userAgent: `agent ${i}` } as VisitorContext)
    expect(strings.size).toBeLessThanOrEqual(10)
  })
})
