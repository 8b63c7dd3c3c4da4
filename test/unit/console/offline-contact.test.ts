import { describe, expect, it } from 'vitest'
import { contactName, offlineContact } from '../../../widget/src/console/offline-contact.js'
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

describe('contactName', () => {
  it.each([
    ['a live chat whose pre-chat answers gave a name', { contact: { name: ' Ada ', email: '' } }, 'Ada'],
    ['an offline message', { origin: 'offline', contact: { name: 'Ann', email: 'ann@example.com' } }, 'Ann'],
    ['a contact with an e-mail and no name', { contact: { name: '', email: 'ann@example.com' } }, null],
    ['a malformed contact', { contact: { name: 3 } }, null],
    ['no contact', { contact: null }, null],
    ['nothing', null, null],
  ])('%s', (_name, input, expected) => {
    expect(contactName(input)).toBe(expected)
  })

  it('keeps the state object when the same name arrives again', () => {
    const s = reduce(INITIAL, { type: 'name', convId: 'c1', name: 'Ada' })
    expect(s.names).toEqual({ c1: 'Ada' })
    expect(reduce(s, { type: 'name', convId: 'c1', name: 'Ada' })).toBe(s)
  })
})
