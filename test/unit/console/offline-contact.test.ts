import { describe, expect, it } from 'vitest'
import { offlineContact } from '../../../widget/src/console/offline-contact.js'
import { INITIAL, reduce } from '../../../widget/src/console/state.js'

// Which conversations the console marks as offline messages, and with what contact.

describe('offline contact', () => {
  it.each([
    ['an offline conversation', { origin: 'offline', contact: { name: 'Ann', email: 'ann@example.com' } }, { name: 'Ann', email: 'ann@example.com' }],
    ['a live chat', { origin: 'chat', contact: null }, null],
    ['a frame without the fields', {}, null],
    ['a malformed contact', { origin: 'offline', contact: { name: 3 } }, null],
    ['an offline conversation without contact', { origin: 'offline', contact: null }, null],
    ['nothing', null, null],
  ])('%s', (_name, input, expected) => {
    expect(offlineContact(input)).toEqual(expected)
  })

  it('keeps the state object when the same contact arrives again', () => {
    const contact = { name: 'Ann', email: 'ann@example.com' }
    const s = reduce(INITIAL, { type: 'contact', convId: 'c1', contact })
    expect(s.contacts).toEqual({ c1: contact })
    expect(reduce(s, { type: 'contact', convId: 'c1', contact: { ...contact } })).toBe(s)
  })
})
