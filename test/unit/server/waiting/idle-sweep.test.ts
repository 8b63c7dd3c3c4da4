import { describe, expect, it } from 'vitest'
import { idleCutoff } from '../../../../server/src/waiting/idle-sweep.js'
import { createFakeClock } from '../../../helpers/fake-clock.js'

describe('idleCutoff', () => {
  const clock = createFakeClock(Date.UTC(2026, 0, 5, 9))

  it('closes chats quiet for the default 30 minutes when the brand set nothing', () => {
    expect(idleCutoff(undefined, clock.now())).toBe(clock.now() - 30 * 60_000)
  })

  it("follows the brand's minutes, and never closes with 0", () => {
    clock.advance(5 * 60_000)
    expect(idleCutoff(5, clock.now())).toBe(Date.UTC(2026, 0, 5, 9))
    expect(idleCutoff(0, clock.now())).toBeNull()
  })
})
