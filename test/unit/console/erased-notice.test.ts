import { describe, expect, it } from 'vitest'
import { erasedNotice } from '../../../widget/src/console/transcript-load.js'

// The line a stub shows in place of its erased messages: the same whether the console heard the
// erasure live (chat view) or loaded the conversation later (transcripts, earlier conversations).

describe('erased notice', () => {
  it('names the day of the erasure', () => {
    const at = Date.UTC(2026, 2, 14, 12)
    expect(erasedNotice(at)).toBe(`Erased on ${new Date(at).toLocaleDateString()}.`)
  })
})
