import { describe, expect, it } from 'vitest'
import { ERRORS, type ErrorCode } from '../../../sdk/src/contract/errors.js'
import * as full from '../../../sdk/src/connection/local-errors.js'
import * as lean from '../../../widget/src/browser/lean-errors.js'

// The consumer widget's build swaps the connection's error texts for a lean stand-in; it must offer
// every function the connection calls (a compile error otherwise) and agree on every code of the table.

const swapped: Pick<typeof full, 'isKnownCode' | 'localMessage'> = lean

describe('the widget stand-in for the connection error texts', () => {
  it('exports every function of the module it replaces', () => {
    const fns = Object.entries(full).filter(([, v]) => typeof v === 'function').map(([k]) => k).sort()
    expect(Object.keys(lean).sort()).toEqual(fns)
  })

  it('knows every code of the table and refuses what is not a code', () => {
    for (const code of Object.keys(ERRORS) as ErrorCode[]) expect(swapped.isKnownCode(code), code).toBe(true)
    for (const v of ['toString', '__proto__', '', 'parley_err_x', 'PARLEY_ERR_A B']) expect(swapped.isKnownCode(v), v).toBe(false)
  })

  it('keeps the code and arguments in the message', () => {
    expect(swapped.localMessage('PARLEY_ERR_CONNECTION_TIMEOUT', ['message.send', 10000])).toBe('PARLEY_ERR_CONNECTION_TIMEOUT message.send 10000')
  })
})
