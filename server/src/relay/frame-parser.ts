import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler'
import { CLIENT_FRAMES, type ClientFrame, type ClientFrameType, type ErrorCode } from '@parley/sdk/contract'

// Turns one incoming WebSocket message into a validated client frame or a typed refusal. Checks are
// compiled once from the contract's schemas (the relay may use generated code; browsers never do).

const checks = new Map<string, TypeCheck<(typeof CLIENT_FRAMES)[ClientFrameType]>>()
for (const [type, schema] of Object.entries(CLIENT_FRAMES)) checks.set(type, TypeCompiler.Compile(schema))

/** A parsed frame, or the error to answer with (`ref` when the frame carried one we could read). */
export type ParseResult =
  | { ok: true; frame: ClientFrame }
  | { ok: false; code: ErrorCode; args: unknown[]; ref?: string }

/** Parses and validates `data` (a text frame) against the limit of `maxBytes`. */
export function parseClientFrame(data: Buffer, isBinary: boolean, maxBytes: number): ParseResult {
  if (isBinary) return { ok: false, code: 'PARLEY_ERR_FRAME_BINARY', args: [] }
  if (data.length > maxBytes) return { ok: false, code: 'PARLEY_ERR_FRAME_TOO_LARGE', args: [data.length, maxBytes] }
  let value: unknown
  try {
    value = JSON.parse(data.toString('utf8'))
  } catch {
    return { ok: false, code: 'PARLEY_ERR_FRAME_MALFORMED', args: [] }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, code: 'PARLEY_ERR_FRAME_MALFORMED', args: [] }
  }
  const obj = value as Record<string, unknown>
  const ref = refOf(obj)
  const type = obj.type
  if (typeof type !== 'string') return { ok: false, code: 'PARLEY_ERR_FRAME_INVALID', args: ['(no type)', '/type is required'], ref }
  const check = checks.get(type)
  if (!check) return { ok: false, code: 'PARLEY_ERR_FRAME_UNKNOWN_TYPE', args: [JSON.stringify(type.slice(0, 64))], ref }
  if (!check.Check(obj)) {
    const first = check.Errors(obj).First()
    const where = first ? `${first.path || '/'} ${first.message}` : 'invalid'
    return { ok: false, code: 'PARLEY_ERR_FRAME_INVALID', args: [type, where.slice(0, 200)], ref }
  }
  return { ok: true, frame: obj as ClientFrame }
}

// Echo a correlation id only when it is a short string: an error must never reflect large input.
function refOf(obj: Record<string, unknown>): string | undefined {
  const ref = typeof obj.ref === 'string' ? obj.ref : typeof obj.clientMsgId === 'string' ? obj.clientMsgId : undefined
  return ref !== undefined && ref.length <= 64 ? ref : undefined
}
