import { describe, expect, it } from 'vitest'
import { shortSessionId } from '../../../widget/src/console/session-label.js'

describe('shortSessionId', () => {
  it('names a session by the first six characters of its id after the prefix', () => {
    expect(shortSessionId('s_4kQ9xZabcdef')).toBe('4kQ9xZ')
    expect(shortSessionId('s_4kQ9xZabcdef')).not.toBe(shortSessionId('s_Rt7mPqabcdef'))
    expect(shortSessionId('abc')).toBe('abc')
  })
})
