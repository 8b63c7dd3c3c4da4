import { describe, expect, it } from 'vitest'
import { ERRORS, errorCodeForClose, formatError, isErrorCode, type ErrorCode } from '../../../../sdk/src/contract/errors.js'
import { LOCAL_CODES, localCodeForClose, type LocalCode } from '../../../../sdk/src/connection/local-codes.js'
import { isKnownCode, LOCAL_MESSAGES, localMessage } from '../../../../sdk/src/connection/local-errors.js'

// The connection's copy of the error table's rows it needs at run time agrees with the table (the
// types already make a drift a compile error; this checks the values the bundles ship).

const codes = Object.keys(ERRORS) as ErrorCode[]

describe('the connection copy of the error table', () => {
  it('holds each local row exactly as the table has it', () => {
    expect(Object.keys(LOCAL_MESSAGES)).toEqual(Object.keys(LOCAL_CODES))
    for (const code of Object.keys(LOCAL_CODES) as LocalCode[]) {
      const { close, retryable, message } = ERRORS[code]
      expect({ ...LOCAL_CODES[code], message: LOCAL_MESSAGES[code] }, code).toEqual({ close, retryable, message })
    }
  })

  it('maps every close code to the same code as the table does, and unknown ones to null', () => {
    const closes = new Set<number>()
    for (const c of codes) if (ERRORS[c].close !== null) closes.add(ERRORS[c].close!)
    expect(closes.size).toBeGreaterThan(5)
    for (const close of closes) expect(localCodeForClose(close), String(close)).toBe(errorCodeForClose(close))
    expect(localCodeForClose(1000)).toBeNull()
  })

  it('knows the same codes as the table', () => {
    for (const v of [...codes, 'PARLEY_ERR_NOT_A_CODE', 'toString', '__proto__', '']) expect(isKnownCode(v), v).toBe(isErrorCode(v))
  })

  it('fills messages as the table does', () => {
    expect(localMessage('PARLEY_ERR_CONNECTION_TIMEOUT', ['conversation.accept', 10000])).toBe(formatError('PARLEY_ERR_CONNECTION_TIMEOUT', ['conversation.accept', 10000]))
    expect(localMessage('PARLEY_ERR_FRAME_TOO_LARGE', [70000])).toBe(formatError('PARLEY_ERR_FRAME_TOO_LARGE', [70000]))
  })
})
