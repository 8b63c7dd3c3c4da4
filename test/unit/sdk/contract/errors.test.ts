import { describe, expect, it } from 'vitest'
import { ERRORS, errorCodeForClose, formatError, isErrorCode, type ErrorCode } from '../../../../sdk/src/contract/errors.js'

const codes = Object.keys(ERRORS) as ErrorCode[]
/** Close codes a WebSocket endpoint may send (RFC 6455 §7.4; 1004-1006 and 1015 are never sent). */
const sendable = (c: number) => (c >= 1000 && c <= 1014 && c !== 1004 && c !== 1005 && c !== 1006) || (c >= 3000 && c <= 4999)

describe('the error table', () => {
  it('names every code PARLEY_ERR_<AREA>_<WHAT>', () => {
    expect(codes.filter((c) => !/^PARLEY_ERR_[A-Z]+_[A-Z]+(_[A-Z]+)*$/.test(c))).toEqual([])
  })

  it('gives every code an HTTP error status (400-599)', () => {
    expect(codes.filter((c) => !Number.isInteger(ERRORS[c].status) || ERRORS[c].status < 400 || ERRORS[c].status > 599)).toEqual([])
  })

  it('gives every code a close code of 1000-4999 or null', () => {
    expect(codes.filter((c) => { const v = ERRORS[c].close; return v !== null && !(Number.isInteger(v) && v >= 1000 && v <= 4999) })).toEqual([])
  })

  it('uses only close codes an endpoint may actually send', () => {
    expect(codes.filter((c) => ERRORS[c].close !== null && !sendable(ERRORS[c].close!))).toEqual([])
  })

  it('says for every code whether it is retryable', () => {
    expect(codes.filter((c) => typeof ERRORS[c].retryable !== 'boolean')).toEqual([])
  })

  it('gives every code a message', () => {
    expect(codes.filter((c) => ERRORS[c].message.trim().length === 0)).toEqual([])
  })
})

describe('formatError', () => {
  it('fills each %s with the arguments in order', () => {
    expect(formatError('PARLEY_ERR_FRAME_TOO_LARGE', [70000, 65536])).toBe('Frame of 70000 bytes exceeds the limit of 65536 bytes')
  })

  it('leaves a %s without an argument as it is', () => {
    expect(formatError('PARLEY_ERR_FRAME_TOO_LARGE', [70000])).toBe('Frame of 70000 bytes exceeds the limit of %s bytes')
  })

  it('ignores arguments beyond the placeholders', () => {
    expect(formatError('PARLEY_ERR_CONV_NOT_FOUND', ['c1', 'extra'])).toBe('Conversation c1 not found')
  })

  it('inserts an argument that itself contains %s literally', () => {
    expect(formatError('PARLEY_ERR_FRAME_TOO_LARGE', ['%s', 5])).toBe('Frame of %s bytes exceeds the limit of 5 bytes')
  })

  it('returns a message without placeholders unchanged', () => {
    expect(formatError('PARLEY_ERR_MESSAGE_EMPTY')).toBe(ERRORS.PARLEY_ERR_MESSAGE_EMPTY.message)
  })
})

describe('errorCodeForClose', () => {
  it('maps 1012 to PARLEY_ERR_SERVER_SHUTTING_DOWN', () => {
    expect(errorCodeForClose(1012)).toBe('PARLEY_ERR_SERVER_SHUTTING_DOWN')
  })

  it('maps every close code in the table to a code that closes with it', () => {
    for (const c of codes) {
      const close = ERRORS[c].close
      if (close !== null) expect(ERRORS[errorCodeForClose(close)!].close, c).toBe(close)
    }
  })

  it.each([1000, 1001, 1006, 4999])('maps close code %s, which no error uses, to null', (close) => {
    expect(errorCodeForClose(close)).toBeNull()
  })
})

describe('isErrorCode', () => {
  it('accepts every code in the table', () => {
    expect(codes.every(isErrorCode)).toBe(true)
  })

  it.each(['PARLEY_ERR_NOPE', 'toString', '__proto__', 'constructor', '', 42, null, undefined])('rejects %s', (v) => {
    expect(isErrorCode(v)).toBe(false)
  })
})
