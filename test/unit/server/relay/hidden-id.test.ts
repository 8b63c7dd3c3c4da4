import { describe, expect, it } from 'vitest'
import { createMasker } from '@parley/sdk/masking'
import { hasCleanIds } from '../../../../server/src/relay/hidden-id.js'
import type { SessionPort } from '../../../../server/src/relay/session-port.js'

const CARD_ID = '4111111111111111'

/** A port that records what was refused (hasCleanIds uses nothing else of it). */
function port(): { s: SessionPort; refused: unknown[][] } {
  const refused: unknown[][] = []
  const s = { reject: (...args: unknown[]) => { refused.push(args) } } as unknown as SessionPort
  return { s, refused }
}

describe('hasCleanIds', () => {
  it('refuses a conversation id that hides a card every time, under the message id', () => {
    const masker = createMasker(null)
    const { s, refused } = port()
    expect(hasCleanIds(s, masker, CARD_ID, 'm_1')).toBe(false)
    expect(hasCleanIds(s, masker, CARD_ID, 'm_2')).toBe(false)
    expect(refused.map((r) => r[2])).toEqual(['m_1', 'm_2'])
  })

  it('checks a conversation id again under another masker', () => {
    const cardsOff = createMasker({ card: { enabled: false } })
    const defaults = createMasker(null)
    const { s, refused } = port()
    expect(hasCleanIds(s, cardsOff, CARD_ID, 'm_1')).toBe(true)
    expect(hasCleanIds(s, defaults, CARD_ID, 'm_2')).toBe(false)
    expect(refused).toHaveLength(1)
  })

  it('checks every message id, also in a conversation found clean', () => {
    const masker = createMasker(null)
    const { s, refused } = port()
    expect(hasCleanIds(s, masker, 'c_1', 'm_1')).toBe(true)
    expect(hasCleanIds(s, masker, 'c_1', CARD_ID)).toBe(false)
    expect(refused[0]![2]).toBeUndefined()
  })
})
