import { describe, expect, it } from 'vitest'
import { createRelayMasker, type RelayMasker } from '@parley/sdk/masking'
import { hasCleanIds, rememberCleanConversation } from '../../../../server/src/relay/hidden-id.js'
import type { SessionPort } from '../../../../server/src/relay/session-port.js'

const CARD_ID = '4111111111111111'

/** A port that records what was refused (hasCleanIds uses nothing else of it). */
function port(): { s: SessionPort; refused: unknown[][] } {
  const refused: unknown[][] = []
  const s = { reject: (...args: unknown[]) => { refused.push(args) } } as unknown as SessionPort
  return { s, refused }
}

/** The default masker, recording each text it is asked to mask (each id it is asked to check). */
function countingMasker(): { masker: RelayMasker; checked: string[] } {
  const real = createRelayMasker(null)
  const checked: string[] = []
  const masker: RelayMasker = { ...real, hiddenInId: (id) => { checked.push(id); return real.hiddenInId(id) } }
  return { masker, checked }
}

describe('hasCleanIds', () => {
  it('refuses a conversation id that hides a card every time, under the message id', () => {
    const masker = createRelayMasker(null)
    const { s, refused } = port()
    expect(hasCleanIds(s, masker, CARD_ID, 'm_1')).toBe(false)
    expect(hasCleanIds(s, masker, CARD_ID, 'm_2')).toBe(false)
    expect(refused.map((r) => r[2])).toEqual(['m_1', 'm_2'])
  })

  it('checks a conversation id again under another masker', () => {
    const cardsOff = createRelayMasker({ card: { enabled: false } })
    const defaults = createRelayMasker(null)
    const { s, refused } = port()
    expect(hasCleanIds(s, cardsOff, CARD_ID, 'm_1')).toBe(true)
    expect(hasCleanIds(s, defaults, CARD_ID, 'm_2')).toBe(false)
    expect(refused).toHaveLength(1)
  })

  it('checks every message id, also in a conversation found clean', () => {
    const masker = createRelayMasker(null)
    const { s, refused } = port()
    expect(hasCleanIds(s, masker, 'c_1', 'm_1')).toBe(true)
    expect(hasCleanIds(s, masker, 'c_1', CARD_ID)).toBe(false)
    expect(refused[0]![2]).toBeUndefined()
  })

  it('does not remember a clean conversation id by itself: one the store then refuses is checked again', () => {
    const { masker, checked } = countingMasker()
    const { s } = port()
    // A visitor's made-up conversation: hasCleanIds passes it, the store refuses the message, so
    // nothing calls rememberCleanConversation.
    expect(hasCleanIds(s, masker, 'c_not_theirs', 'm_1')).toBe(true)
    expect(hasCleanIds(s, masker, 'c_not_theirs', 'm_2')).toBe(true)
    expect(checked).toEqual(['c_not_theirs', 'm_1', 'c_not_theirs', 'm_2'])
  })

  it('checks only the message id in a conversation remembered once a message to it was stored', () => {
    const { masker, checked } = countingMasker()
    const { s } = port()
    expect(hasCleanIds(s, masker, 'c_1', 'm_1')).toBe(true)
    rememberCleanConversation(masker, 'c_1')
    expect(hasCleanIds(s, masker, 'c_1', 'm_2')).toBe(true)
    expect(checked).toEqual(['c_1', 'm_1', 'm_2'])
  })
})
