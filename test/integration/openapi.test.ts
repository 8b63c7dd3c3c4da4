import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ACTIONS, DEFAULT_LIMITS } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'
import { BODYLESS_ROUTES, UNDOCUMENTED_ROUTES, isDocumentedRoute } from '../../server/src/plugins/rest/openapi.js'

// GET /v1/openapi.json: an OpenAPI 3.1 document generated from the route schemas. A route added
// without a schema (or a summary) fails here, whichever plugin adds it.

type Json = Record<string, any>
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']
const WITH_BODY = ['POST', 'PUT', 'PATCH']

/** Follows a `#/components/schemas/…` reference once. */
function deref(doc: Json, schema: Json | undefined): Json | undefined {
  const ref = schema?.$ref as string | undefined
  if (!ref) return schema
  expect(ref, 'only local component references').toMatch(/^#\/components\/schemas\//)
  return doc.components.schemas[ref.slice('#/components/schemas/'.length)]
}

/** The OpenAPI form of a Fastify path: `/v1/conversations/:convId` → `/v1/conversations/{convId}`. */
const openApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}')

describe('OpenAPI document', () => {
  let relay: TestRelay
  let doc: Json
  beforeAll(async () => {
    relay = await startRelay({ widgetDir: 'widget/dist' })
    const res = await callRest(relay, { url: '/v1/openapi.json' })
    expect(res.status, res.raw.slice(0, 500)).toBe(200)
    doc = res.body
  })
  afterAll(async () => { await relay.close() })

  const operations = () => Object.entries(doc.paths as Json).flatMap(([path, item]) =>
    Object.entries(item as Json).filter(([m]) => METHODS.includes(m)).map(([method, op]) => ({ path, method: method.toUpperCase(), op: op as Json })))

  it('is OpenAPI 3.1.0 with info, paths and a bearer security scheme', () => {
    expect(doc.openapi).toBe('3.1.0')
    expect(typeof doc.info.title).toBe('string')
    expect(typeof doc.info.version).toBe('string')
    expect(Object.keys(doc.paths).length).toBeGreaterThan(10)
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' })
    expect(doc.components.schemas.ErrorBody.required.sort()).toEqual(['code', 'message', 'requestId', 'retryable'])
  })

  it('gives every operation tags, a summary, a security list and a 4XX ErrorBody response', () => {
    for (const { path, method, op } of operations()) {
      const name = `${method} ${path}`
      expect(op.tags?.length, `${name} tags`).toBeGreaterThan(0)
      expect(op.summary?.length, `${name} summary`).toBeGreaterThan(0)
      expect(Array.isArray(op.security), `${name} security`).toBe(true)
      for (const s of op.security as Json[]) for (const scheme of Object.keys(s)) expect(doc.components.securitySchemes[scheme], `${name} scheme ${scheme}`).toBeDefined()
      expect(op.responses['4XX']?.content?.['application/json']?.schema?.$ref, `${name} 4XX`).toBe('#/components/schemas/ErrorBody')
      const ok = Object.keys(op.responses).filter((s) => /^2\d\d$/.test(s))
      expect(ok.length, `${name} has a 2xx response`).toBeGreaterThan(0)
      for (const [status, r] of Object.entries(op.responses as Json)) expect(r.description, `${name} ${status} description`).not.toMatch(/^(Default Response)?$/)
    }
  })

  it('declares every path parameter of a templated path', () => {
    for (const { path, method, op } of operations()) {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1])
      const declared = ((op.parameters ?? []) as Json[]).filter((p) => p.in === 'path').map((p) => p.name)
      expect(declared.sort(), `${method} ${path}`).toEqual(names.sort())
    }
  })

  it('lists every registered route with a response schema, and a body schema for POST, PUT and PATCH', () => {
    const routes = relay.app.parleyRoutes.filter((r) => isDocumentedRoute(r.method, r.url, r.websocket))
    expect(routes.length).toBeGreaterThan(10)
    for (const r of routes) {
      const name = `${r.method} ${r.url}`
      const op = doc.paths[openApiPath(r.url)]?.[r.method.toLowerCase()] as Json | undefined
      expect(op, `${name} is in the document`).toBeDefined()
      const [status, ok] = (Object.entries(op!.responses as Json).find(([s]) => /^2\d\d$/.test(s)) ?? []) as [string?, Json?]
      // 204 No Content has no body to describe.
      const okSchema = status === '204' ? { type: 'null' } : deref(doc, ok?.content?.['application/json']?.schema)
      expect(okSchema?.type ?? okSchema?.anyOf, `${name} has a response schema`).toBeDefined()
      if (WITH_BODY.includes(r.method) && !(name in BODYLESS_ROUTES)) {
        const body = deref(doc, op!.requestBody?.content?.['application/json']?.schema)
        expect(body?.type, `${name} has a body schema`).toBe('object')
      }
    }
  })

  it('compiles every other route\'s schemas without an error, once (they compile on first use, plugins/lazy-compilers.ts)', () => {
    // About 120 routes, most with a body or query schema and one or more response schemas.
    expect(relay.app.parleyCompileSchemas()).toBeGreaterThan(150)
    expect(relay.app.parleyCompileSchemas()).toBe(0)
  })

  it('leaves out only WebSocket routes and the static assets named with a reason', () => {
    const left = relay.app.parleyRoutes.filter((r) => r.method !== 'HEAD' && !isDocumentedRoute(r.method, r.url, r.websocket))
    for (const r of left) {
      if (r.websocket) continue
      expect(UNDOCUMENTED_ROUTES[`${r.method} ${r.url}`]?.length, `${r.method} ${r.url}`).toBeGreaterThan(0)
      expect(doc.paths[openApiPath(r.url)]?.[r.method.toLowerCase()]).toBeUndefined()
    }
    expect(left.map((r) => `${r.method} ${r.url}`)).toContain('GET /v1/live')
    expect(doc.paths['/v1/live']).toBeUndefined()
  })

  it('marks routes that take a credential with the bearer scheme and the key scopes they need, public ones with none', () => {
    expect(doc.paths['/v1/agents'].post.security).toEqual([{ bearer: ['agents:write'] }])
    expect(doc.paths['/v1/brand'].patch.security).toEqual([{ bearer: ['config:write'] }])
    expect(doc.paths['/v1/conversations/{convId}'].get.security).toEqual([{ bearer: ['transcripts:read'] }])
    // A route no key may call (an agent's own status) asks for the bearer scheme with no scope.
    expect(doc.paths['/v1/agent/status'].put.security).toEqual([{ bearer: [] }])
    expect(doc.paths['/v1/agent/sessions'].post.security).toEqual([])
    expect(doc.paths['/v1/sites/{siteKey}/config'].get.security).toEqual([])
    // The credentials column of docs/protocol.md's REST table says the same.
    expect(doc.paths['/v1/masking'].get.description).toContain('Credential: brand API key (scope config:read), agent token (role agent or above). Policy action: team.read.')
    expect(doc.paths['/v1/masking'].put.description).toContain('Credential: brand API key (scope config:write), agent token (role admin). Policy action: config.write.')
    expect(doc.paths['/v1/widget-config'].get.description).toContain('Credential: brand API key (scope config:read), agent token (role admin). Policy action: config.read.')
    expect(doc.paths['/v1/reports'].get.description).toContain('agent token (role supervisor or above). Policy action: reports.read.')
    expect(doc.paths['/v1/conversations/{convId}'].get.description)
      .toContain('Credential: brand API key (scope transcripts:read), agent token (role agent or above), visitor token. Policy action: conversation.read.')
    expect(doc.paths['/v1/agent/status'].put.description).toContain('Credential: agent token.')
  })

  it('names the policy action of every route that asks one, each an action of the contract', () => {
    const asking = operations().filter(({ op }) => op['x-parley-actions'] !== undefined)
    expect(asking.length).toBeGreaterThan(40)
    for (const { path, method, op } of asking) {
      for (const action of op['x-parley-actions'] as string[]) expect(Object.keys(ACTIONS), `${method} ${path}`).toContain(action)
      const scopes = (op['x-parley-actions'] as (keyof typeof ACTIONS)[]).map((a) => ACTIONS[a].scope).filter((x) => x !== null)
      expect(op.security, `${method} ${path}`).toEqual([{ bearer: [...new Set(scopes)] }])
    }
    expect(doc.paths['/v1/canned-replies/{replyId}'].patch['x-parley-actions']).toEqual(['canned.manage', 'queue.work'])
  })

  it('lists application/merge-patch+json beside application/json for every PATCH body', () => {
    const patches = operations().filter((o) => o.method === 'PATCH')
    expect(patches.length).toBeGreaterThan(0)
    for (const { path, op } of patches) expect(Object.keys(op.requestBody.content).sort(), path).toEqual(['application/json', 'application/merge-patch+json'])
  })

  it('describes bodies with the contract schemas: CreateAgent refuses unknown fields and requires a password', () => {
    const body = deref(doc, doc.paths['/v1/agents'].post.requestBody.content['application/json'].schema)!
    expect(body.additionalProperties).toBe(false)
    expect(body.required).toContain('password')
    expect(body.properties.password.minLength).toBe(8)
  })

  it('is counted by the per-address REST limit like every /v1 route', async () => {
    const limited = await startRelay({ limits: { restRequestsPerMinute: 2 } })
    try {
      expect((await callRest(limited, { url: '/v1/openapi.json' })).status).toBe(200)
      expect((await callRest(limited, { url: '/v1/openapi.json' })).status).toBe(200)
      const res = await callRest(limited, { url: '/v1/openapi.json' })
      expectErrorBody(res, 'PARLEY_ERR_LIMIT_RATE')
      expect(res.headers['retry-after']).toBeDefined()
    } finally {
      await limited.close()
    }
    expect(DEFAULT_LIMITS.restRequestsPerMinute).toBeGreaterThan(2)
  })
})
