import type { TestRelay } from './start-relay.js'

/** What a REST call answered: status, parsed JSON body (undefined if none), headers and raw text. */
export interface RestResponse {
  status: number
  /** Typed loosely on purpose: tests probe bodies of every shape, including wrong ones. */
  body: any
  headers: Record<string, string | string[] | number | undefined>
  raw: string
}

/** One request through `app.inject()`: `body` objects are sent as JSON, strings as given. */
export async function callRest(relay: Pick<TestRelay, 'app'>, req: {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS'
  url: string
  token?: string
  body?: unknown
  headers?: Record<string, string>
}): Promise<RestResponse> {
  const headers: Record<string, string> = {}
  if (req.token !== undefined) headers.authorization = `Bearer ${req.token}`
  let payload: string | undefined
  if (req.body !== undefined) {
    headers['content-type'] = 'application/json'
    payload = typeof req.body === 'string' ? req.body : JSON.stringify(req.body)
  }
  Object.assign(headers, req.headers)
  const res = await relay.app.inject({ method: req.method ?? 'GET', url: req.url, headers, ...(payload !== undefined ? { payload } : {}) })
  let body: unknown
  try {
    body = res.body.length > 0 ? JSON.parse(res.body) : undefined
  } catch {
    body = undefined
  }
  return { status: res.statusCode, body, headers: res.headers, raw: res.body }
}

/** One request over HTTP to a relay at `base` (a relay in another process, where `app.inject()` can't reach): status and parsed JSON body. */
export async function fetchRest(base: string, method: string, path: string, token: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${base}${path}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  })
  return { status: res.status, body: await res.json() as any }
}
