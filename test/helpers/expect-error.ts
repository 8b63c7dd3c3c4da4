import { expect } from 'vitest'
import { Value } from '@sinclair/typebox/value'
import { ERRORS, ErrorFrame, type ErrorCode } from '@parley/sdk/contract'
import type { RestResponse } from './rest.js'
import type { TestClient } from './ws-client.js'

/** Asserts a REST error: the table's status, and a JSON body of exactly {code, message, retryable, requestId}. */
export function expectErrorBody(res: RestResponse, code: ErrorCode): void {
  expectErrorStatusAndBody(res.status, res.body, code, res.raw)
  expect(String(res.headers['content-type'])).toMatch(/^application\/json/)
}

/** The same check for a status and parsed body from anywhere (e.g. a refused WebSocket upgrade). */
export function expectErrorStatusAndBody(status: number, body: unknown, code: ErrorCode, raw = JSON.stringify(body)): void {
  const b = body as Record<string, unknown> | undefined
  expect(b?.code, `body: ${raw}`).toBe(code)
  expect(status).toBe(ERRORS[code].status)
  expect(Object.keys(b!).sort()).toEqual(['code', 'message', 'requestId', 'retryable'])
  expect(b!.retryable).toBe(ERRORS[code].retryable)
  expect(typeof b!.message).toBe('string')
  expect((b!.message as string).length).toBeGreaterThan(0)
  // Random and URL-safe (app.ts genReqId), never Fastify's per-process counter (req-1r).
  expect(b!.requestId).toMatch(/^req_[A-Za-z0-9_-]{16,}$/)
}

/** Asserts an error frame: valid against the contract, with `code` and the table's retryable flag. */
export function expectErrorFrame(frame: unknown, code: ErrorCode): ErrorFrame {
  expect(Value.Check(ErrorFrame, frame), JSON.stringify(frame)).toBe(true)
  const f = frame as ErrorFrame
  expect(f.code).toBe(code)
  expect(f.retryable).toBe(ERRORS[code].retryable)
  expect(f.message.length).toBeGreaterThan(0)
  return f
}

/**
 * Waits for the error frame `code`, checks it, then checks what the table says about the socket:
 * closed with the table's close code, or (close: null) still open and answering a ping.
 */
export async function expectRefusal(client: TestClient, code: ErrorCode): Promise<ErrorFrame> {
  const frame = expectErrorFrame(await client.error(code), code)
  const close = ERRORS[code].close
  if (close !== null) expect(await client.closed()).toBe(close)
  else await expectOpen(client)
  return frame
}

let pings = 0

/** Asserts the socket is open and served: a ping gets its pong. */
export async function expectOpen(client: TestClient): Promise<void> {
  const ref = `alive-${++pings}`
  client.send({ type: 'ping', ref })
  await client.next('pong', (p) => p.ref === ref)
  expect(client.closeCode).toBeNull()
}
