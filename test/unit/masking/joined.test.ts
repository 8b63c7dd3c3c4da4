import { describe, expect, it } from 'vitest'
import { createMasker, TAIL_CHARS } from '../../../sdk/src/masking/masking.js'

// maskJoined: a value split across two messages from the same sender is masked in both; nothing
// else about the earlier message changes.

const m = createMasker({ phone: { enabled: true } })

describe('maskJoined', () => {
  it('masks a card split across two messages in both', () => {
    const { result, previous } = m.maskJoined('my card is 4111 1111', '1111 1111 thanks')
    expect(previous).toBe('my card is [card]')
    expect(result).toEqual({ text: '[card] thanks', findings: [{ detector: 'card', start: 0, end: 9 }] })
  })

  it('masks a card split into three messages as each one arrives', () => {
    const cards = createMasker(null)
    const first = cards.maskJoined('', '4111 1111')
    expect(first.result.text).toBe('4111 1111')
    const second = cards.maskJoined(first.result.text, '1111')
    expect(second.result.text).toBe('1111')
    const third = cards.maskJoined(`${first.result.text}\n${second.result.text}`, '1111 ok')
    expect(third.previous).toBe('[card]')
    expect(third.result.text).toBe('[card] ok')
  })

  it('leaves the earlier message alone (null) when nothing spans the join', () => {
    expect(m.maskJoined('hello there', 'card 4111 1111 1111 1111')).toEqual({
      result: { text: 'card [card]', findings: [{ detector: 'card', start: 5, end: 24 }] },
      previous: null,
    })
  })

  it('does not re-mask what lies wholly in the earlier message', () => {
    expect(m.maskJoined('call 555-123-4567', 'ok').previous).toBeNull()
  })

  it('changes only the tail of a long earlier message', () => {
    const head = `${'a'.repeat(200)} 5555 5555`
    const { previous, result } = m.maskJoined(head, '5555 4444')
    expect(previous).toBe(`${'a'.repeat(200)} [card]`)
    expect(result.text).toBe('[card]')
  })

  it(`looks at no more than the last ${TAIL_CHARS} characters of the earlier message`, () => {
    const earlier = `4111 1111${' x'.repeat(TAIL_CHARS)}`
    expect(createMasker(null).maskJoined(earlier, '1111 1111')).toEqual({ result: { text: '1111 1111', findings: [] }, previous: null })
  })

  it('keeps the first 6 and last 4 across the join with keep: first6last4', () => {
    const keep = createMasker({ card: { keep: 'first6last4' } })
    expect(keep.maskJoined('4111 11', '11 1111 1111')).toEqual({
      result: { text: '[card] 1111', findings: [{ detector: 'card', start: 0, end: 12 }] },
      previous: null,
    })
  })

  it('masks full-width digits across the join', () => {
    const card = m.maskJoined('４１１１ １１１１ １１１１', '１１１１')
    expect(card.previous).toBe('[card]')
    expect(card.result.text).toBe('[card]')
  })

  it('masks a security code that follows a keyword in the next message', () => {
    expect(m.maskJoined('my cvv is', '123').result.text).toBe('[security code]')
  })

  it('does nothing when every detector is off', () => {
    const off = createMasker({ card: { enabled: false }, securityCode: { enabled: false } })
    expect(off.maskJoined('4111 1111', '1111 1111 1111')).toEqual({ result: { text: '1111 1111 1111', findings: [] }, previous: null })
  })
})
