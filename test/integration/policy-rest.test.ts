import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ACTIONS, SCOPES, roleAllows, scopesAllow, type Action, type ErrorCode, type Role, type Scope } from '@parley/sdk/contract'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestAgent, type TestBrand } from '../helpers/brand.js'
import { callRest, type RestResponse } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'
import { seedConversations } from '../helpers/seed-conversations.js'
import { UNDOCUMENTED_ROUTES, isDocumentedRoute } from '../../server/src/plugins/rest/openapi.js'
import { createTokenSigner } from '../../server/src/auth/tokens.js'
import { hashApiKey, createApiKey } from '../../server/src/auth/api-keys.js'

// Every REST route against the one policy: for each route the app serves (app.parleyRoutes, so a
// route added without an entry here fails), each kind of caller gets what the ACTIONS table of the
// contract says: through (any answer but 401/403), or the typed 403 of the refusal. Keys have
// exactly the scope the route needs, or every scope but that one.

type Kind = 'brand' | 'agent' | 'visitor'

/** What a route asks of its caller: nothing (public), the policy about an action, or only a kind of credential. */
type RouteAccess =
  | { public: string }
  | { action: Action; kinds: readonly Kind[] }
  | { kinds: readonly Kind[] }

const KEY_OR_AGENT = ['brand', 'agent'] as const
const ANYONE = ['brand', 'agent', 'visitor'] as const

/**
 * The expected access of every route. A route whose action depends on the resource is listed with
 * the action the request below makes it ask (a brand-wide canned reply: canned.manage).
 */
const EXPECTED: Record<string, RouteAccess> = {
  'GET /v1/openapi.json': { public: 'the API description' },
  'GET /healthz': { public: 'liveness' },
  'GET /readyz': { public: 'readiness' },
  'POST /v1/agent/sessions': { public: 'signing in' },
  'GET /v1/sites/:siteKey/config': { public: 'the widget reads it on any page' },
  'GET /v1/sites/:siteKey/availability': { public: 'the widget reads it on any page' },
  'POST /v1/sites/:siteKey/rule-events': { public: 'anonymous counts from pages' },
  'POST /v1/sites/:siteKey/offline-messages': { public: 'a page visitor leaves a message' },

  'POST /v1/agents': { action: 'accounts.manage', kinds: KEY_OR_AGENT },
  'PATCH /v1/agents/:agentId': { action: 'accounts.manage', kinds: KEY_OR_AGENT },
  'GET /v1/accounts': { action: 'accounts.manage', kinds: KEY_OR_AGENT },
  'GET /v1/sessions': { action: 'accounts.manage', kinds: KEY_OR_AGENT },
  'DELETE /v1/sessions/:sessionId': { action: 'accounts.manage', kinds: KEY_OR_AGENT },
  'GET /v1/keys': { action: 'keys.manage', kinds: KEY_OR_AGENT },
  'POST /v1/keys': { action: 'keys.manage', kinds: KEY_OR_AGENT },
  'POST /v1/keys/:keyId/rotate': { action: 'keys.manage', kinds: KEY_OR_AGENT },
  'DELETE /v1/keys/:keyId': { action: 'keys.manage', kinds: KEY_OR_AGENT },

  'GET /v1/agents': { action: 'team.read', kinds: KEY_OR_AGENT },
  'GET /v1/agents/presence': { action: 'team.read', kinds: KEY_OR_AGENT },
  'GET /v1/masking': { action: 'team.read', kinds: KEY_OR_AGENT },
  'GET /v1/rules': { action: 'team.read', kinds: KEY_OR_AGENT },
  'GET /v1/business-hours': { action: 'team.read', kinds: KEY_OR_AGENT },
  'GET /v1/surveys': { action: 'team.read', kinds: KEY_OR_AGENT },
  'GET /v1/surveys/:surveyId/versions/:version': { action: 'team.read', kinds: KEY_OR_AGENT },
  'GET /v1/routing': { action: 'team.read', kinds: KEY_OR_AGENT },
  'GET /v1/canned-replies': { action: 'team.read', kinds: KEY_OR_AGENT },

  'GET /v1/agents/me': { kinds: ['agent'] },
  'PUT /v1/agent/status': { kinds: ['agent'] },
  'GET /v1/agent/settings': { kinds: ['agent'] },
  'PUT /v1/agent/settings': { kinds: ['agent'] },
  'GET /v1/agent/sessions': { kinds: ['agent'] },
  'DELETE /v1/agent/sessions/current': { kinds: ['agent'] },
  'POST /v1/attachments': { kinds: ['visitor', 'agent'] },
  'POST /v1/attachments/:attachmentId/thumbnail': { kinds: ['visitor', 'agent'] },

  'GET /v1/conversations': { action: 'conversation.search', kinds: ANYONE },
  'GET /v1/conversations/:convId': { action: 'conversation.read', kinds: ANYONE },
  'GET /v1/conversations/:convId/messages': { action: 'conversation.read', kinds: ANYONE },
  'GET /v1/conversations/:convId/notes': { action: 'conversation.read', kinds: KEY_OR_AGENT },
  'GET /v1/conversations/:convId/responses': { action: 'conversation.read', kinds: KEY_OR_AGENT },
  'GET /v1/attachments/:attachmentId': { action: 'conversation.read', kinds: ANYONE },
  'GET /v1/attachments/:attachmentId/thumbnail': { action: 'conversation.read', kinds: ANYONE },

  'GET /v1/reports': { action: 'reports.read', kinds: KEY_OR_AGENT },
  'GET /v1/rules/stats': { action: 'reports.read', kinds: KEY_OR_AGENT },
  'GET /v1/supervisor': { action: 'reports.read', kinds: KEY_OR_AGENT },

  'POST /v1/canned-replies': { action: 'canned.manage', kinds: KEY_OR_AGENT },
  'PATCH /v1/canned-replies/:replyId': { action: 'canned.manage', kinds: KEY_OR_AGENT },
  'DELETE /v1/canned-replies/:replyId': { action: 'canned.manage', kinds: KEY_OR_AGENT },

  'GET /v1/widget-config': { action: 'config.read', kinds: KEY_OR_AGENT },
  'GET /v1/brand': { action: 'config.read', kinds: KEY_OR_AGENT },
  'GET /v1/masking/runs/:runId': { action: 'config.read', kinds: KEY_OR_AGENT },
  'PUT /v1/widget-config': { action: 'config.write', kinds: KEY_OR_AGENT },
  'PATCH /v1/widget-config': { action: 'config.write', kinds: KEY_OR_AGENT },
  'PATCH /v1/brand': { action: 'config.write', kinds: KEY_OR_AGENT },
  'PUT /v1/masking': { action: 'config.write', kinds: KEY_OR_AGENT },
  'PATCH /v1/masking': { action: 'config.write', kinds: KEY_OR_AGENT },
  'PUT /v1/rules': { action: 'config.write', kinds: KEY_OR_AGENT },
  'PATCH /v1/rules': { action: 'config.write', kinds: KEY_OR_AGENT },
  'PUT /v1/business-hours': { action: 'config.write', kinds: KEY_OR_AGENT },
  'PATCH /v1/business-hours': { action: 'config.write', kinds: KEY_OR_AGENT },
  'DELETE /v1/business-hours': { action: 'config.write', kinds: KEY_OR_AGENT },
  'POST /v1/rules/simulate': { action: 'config.write', kinds: KEY_OR_AGENT },
  'PUT /v1/surveys': { action: 'config.write', kinds: KEY_OR_AGENT },
  'PATCH /v1/surveys': { action: 'config.write', kinds: KEY_OR_AGENT },
  'PUT /v1/routing': { action: 'config.write', kinds: KEY_OR_AGENT },
  'PATCH /v1/routing': { action: 'config.write', kinds: KEY_OR_AGENT },
  'POST /v1/masking/runs': { action: 'config.write', kinds: KEY_OR_AGENT },
}

/** What the test holds for building requests: the brand, a conversation the plain agent took part in, a brand-wide canned reply. */
interface Fixture {
  brand: TestBrand
  convId: string
  replyId: string
}

interface Call {
  url: string
  body?: unknown
  headers?: Record<string, string>
}

/** A request each route accepts as input (so the policy, not validation, answers), by route. */
const REQUESTS: Record<string, (f: Fixture) => Call> = {
  'POST /v1/agents': () => ({ url: '/v1/agents', body: { email: `new-${Math.random().toString(36).slice(2)}@agents.example`, name: 'New', password: 'correct horse battery' } }),
  'PATCH /v1/agents/:agentId': () => ({ url: '/v1/agents/a_nobody', body: { name: 'Renamed' } }),
  'DELETE /v1/sessions/:sessionId': () => ({ url: '/v1/sessions/s_nobody' }),
  // A key gives no scope it lacks itself: the new key's is the one the route needs.
  'POST /v1/keys': () => ({ url: '/v1/keys', body: { name: 'made in a test', scopes: ['keys:write'] } }),
  'POST /v1/keys/:keyId/rotate': () => ({ url: '/v1/keys/k_nobody/rotate', body: {} }),
  'DELETE /v1/keys/:keyId': () => ({ url: '/v1/keys/k_nobody' }),
  'GET /v1/reports': () => ({ url: '/v1/reports?from=2026-01-01&to=2026-01-02' }),
  'GET /v1/surveys/:surveyId/versions/:version': () => ({ url: '/v1/surveys/nps/versions/1' }),
  'PUT /v1/agent/status': () => ({ url: '/v1/agent/status', body: { status: 'away' } }),
  'PUT /v1/agent/settings': () => ({ url: '/v1/agent/settings', body: { sound: true, desktop: false } }),
  'POST /v1/attachments': () => ({ url: '/v1/attachments', body: 'not a picture', headers: { 'content-type': 'image/png', 'x-parley-file-name': 'a.png' } }),
  'POST /v1/attachments/:attachmentId/thumbnail': () => ({ url: '/v1/attachments/att_nobody/thumbnail', body: 'x', headers: { 'content-type': 'image/png' } }),
  'GET /v1/conversations/:convId': (f) => ({ url: `/v1/conversations/${f.convId}` }),
  'GET /v1/conversations/:convId/messages': (f) => ({ url: `/v1/conversations/${f.convId}/messages` }),
  'GET /v1/conversations/:convId/notes': (f) => ({ url: `/v1/conversations/${f.convId}/notes` }),
  'GET /v1/conversations/:convId/responses': (f) => ({ url: `/v1/conversations/${f.convId}/responses` }),
  'GET /v1/attachments/:attachmentId': () => ({ url: '/v1/attachments/att_nobody' }),
  'GET /v1/attachments/:attachmentId/thumbnail': () => ({ url: '/v1/attachments/att_nobody/thumbnail' }),
  'POST /v1/canned-replies': () => ({ url: '/v1/canned-replies', body: { scope: 'brand', shortcut: `s${Math.random().toString(36).slice(2, 8)}`, title: 'Hello', text: 'Hello there' } }),
  'PATCH /v1/canned-replies/:replyId': (f) => ({ url: `/v1/canned-replies/${f.replyId}`, body: { title: 'Changed' } }),
  'DELETE /v1/canned-replies/:replyId': (f) => ({ url: `/v1/canned-replies/${f.replyId}` }),
  'GET /v1/masking/runs/:runId': () => ({ url: '/v1/masking/runs/mr_nobody' }),
  'PUT /v1/widget-config': () => ({ url: '/v1/widget-config', body: {} }),
  'PATCH /v1/widget-config': () => ({ url: '/v1/widget-config', body: {} }),
  'PATCH /v1/brand': () => ({ url: '/v1/brand', body: {} }),
  'PUT /v1/masking': () => ({ url: '/v1/masking', body: {} }),
  'PATCH /v1/masking': () => ({ url: '/v1/masking', body: {} }),
  'PUT /v1/rules': () => ({ url: '/v1/rules', body: { rules: [] } }),
  'PATCH /v1/rules': () => ({ url: '/v1/rules', body: {} }),
  'PUT /v1/business-hours': () => ({ url: '/v1/business-hours', body: { timeZone: 'UTC', weekly: {} } }),
  'PATCH /v1/business-hours': () => ({ url: '/v1/business-hours', body: {} }),
  'POST /v1/rules/simulate': () => ({ url: '/v1/rules/simulate', body: { visitors: [{ url: 'https://shop.example/' }] } }),
  'PUT /v1/surveys': () => ({ url: '/v1/surveys', body: { surveys: [] } }),
  'PATCH /v1/surveys': () => ({ url: '/v1/surveys', body: {} }),
  'PUT /v1/routing': () => ({ url: '/v1/routing', body: {} }),
  'PATCH /v1/routing': () => ({ url: '/v1/routing', body: {} }),
}

/** Who calls: a key with these scopes, an agent account of a role, or the conversation's visitor. */
type Caller =
  | { name: string; kind: 'brand'; scopes: readonly Scope[]; token: string }
  | { name: string; kind: 'agent'; role: Role; token: string; agent: TestAgent }
  | { name: string; kind: 'visitor'; token: string }

/** 'through', or the code of the 403 the contract's table gives `caller` on a route of `access`. */
function expectedAnswer(access: Exclude<RouteAccess, { public: string }>, caller: Caller): 'through' | ErrorCode {
  const action = 'action' in access ? access.action : null
  if (!access.kinds.includes(caller.kind)) return 'PARLEY_ERR_AUTH_FORBIDDEN'
  if (caller.kind === 'brand' && action) return scopesAllow(caller.scopes, action) ? 'through' : 'PARLEY_ERR_AUTH_SCOPE'
  if (caller.kind === 'agent' && action) return roleAllows(caller.role, action) ? 'through' : 'PARLEY_ERR_AUTH_ROLE'
  return 'through'
}

const routeName = (r: { method: string; url: string }) => `${r.method} ${r.url}`

describe('the policy on every REST route', () => {
  let relay: TestRelay
  let fixture: Fixture
  const agents = {} as Record<Role, TestAgent>
  let visitorToken: string
  const keys = new Map<string, string>()

  /** A key of the brand with exactly `scopes` (made once per set). */
  async function keyWith(scopes: readonly Scope[]): Promise<string> {
    const name = [...scopes].sort().join(',')
    const known = keys.get(name)
    if (known) return known
    const secret = createApiKey()
    await relay.deps.store.createApiKey({
      brandId: fixture.brand.brandId, keyId: `k_${keys.size}_${Math.random().toString(36).slice(2, 8)}`, name: `scopes ${name}`, scopes: [...scopes],
      keyHash: hashApiKey(secret), prefix: secret.slice(0, 8), createdAt: Date.now(), lastUsedAt: null, expiresAt: null, revokedAt: null, createdBy: 'cli',
    })
    keys.set(name, secret)
    return secret
  }

  /** Every caller for a route needing `action`: the key with its scope and the one without, each role, the visitor. */
  async function callersFor(action: Action | null): Promise<Caller[]> {
    const scope: Scope | null = action ? ACTIONS[action].scope : null
    const keyCallers: Caller[] = scope
      ? [
        { name: `key with only ${scope}`, kind: 'brand', scopes: [scope], token: await keyWith([scope]) },
        { name: `key with every scope but ${scope}`, kind: 'brand', scopes: SCOPES.filter((s) => s !== scope), token: await keyWith(SCOPES.filter((s) => s !== scope)) },
      ]
      : [{ name: 'key with every scope', kind: 'brand', scopes: SCOPES, token: await keyWith(SCOPES) }]
    const roles: Caller[] = (['agent', 'supervisor', 'admin'] as const).map((role) => ({ name: role, kind: 'agent', role, token: agents[role].token, agent: agents[role] }))
    return [...keyCallers, ...roles, { name: 'visitor', kind: 'visitor', token: visitorToken }]
  }

  /** A new session of the same account (for a route that ends the session it is called with). */
  async function freshSession(agent: TestAgent): Promise<string> {
    const res = await callRest(relay, { method: 'POST', url: '/v1/agent/sessions', body: { brandId: fixture.brand.brandId, email: agent.email, password: agent.password } })
    expect(res.status).toBe(200)
    return res.body.token as string
  }

  beforeAll(async () => {
    relay = await startRelay()
    const brand = await createTestBrand(relay)
    for (const role of ['agent', 'supervisor', 'admin'] as const) agents[role] = await createTestAgent(relay, brand.brandId, role, role)
    const [convId] = await seedConversations(relay, brand.brandId, 1, 'policy-table')
    // The plain agent takes part in it, so the conversation routes answer on role and scope alone.
    await relay.deps.store.joinConversation(brand.brandId, convId!, agents.agent.agentId, Date.now())
    const reply = await callRest(relay, { method: 'POST', url: '/v1/canned-replies', token: agents.supervisor.token, body: { scope: 'brand', shortcut: 'table', title: 'T', text: 'Table' } })
    expect(reply.status, reply.raw).toBe(201)
    fixture = { brand, convId: convId!, replyId: reply.body.replyId }
    const signer = createTokenSigner(relay.deps.tokenSecret, () => Date.now())
    visitorToken = signer.sign({ sub: `v-${convId}`, brand: brand.brandId, kind: 'visitor' }, 3600).token
  })
  afterAll(async () => { await relay?.close() })

  const served = () => relay.app.parleyRoutes.filter((r) => isDocumentedRoute(r.method, r.url, r.websocket) && r.method !== 'OPTIONS')

  it('has an expected access for every route the app serves, and no entry for a route it does not', () => {
    const names = served().map(routeName)
    expect(names.filter((n) => !(n in EXPECTED)), 'routes without an expected access').toEqual([])
    expect(Object.keys(EXPECTED).filter((n) => !names.includes(n)), 'entries for routes that do not exist').toEqual([])
    expect(Object.keys(UNDOCUMENTED_ROUTES).every((n) => !(n in EXPECTED))).toBe(true)
  })

  it('answers each caller of each route as the contract table says: through, or the typed 403', async () => {
    const failures: string[] = []
    // The sign-out route ends the session it is called with: it goes last, each time on a session of its own.
    const routes = served().filter((r) => 'kinds' in (EXPECTED[routeName(r)] ?? { public: '' }))
      .sort((a, b) => Number(routeName(a) === 'DELETE /v1/agent/sessions/current') - Number(routeName(b) === 'DELETE /v1/agent/sessions/current'))
    for (const route of routes) {
      const name = routeName(route)
      const access = EXPECTED[name] as Exclude<RouteAccess, { public: string }>
      const call: Call = (REQUESTS[name] ?? (() => ({ url: route.url })))(fixture)
      const callers = (await callersFor('action' in access ? access.action : null))
        .map((caller) => ({ caller, want: expectedAnswer(access, caller) }))
        // Refusals first: an allowed call may use up the resource (a deleted reply) that a refusal must still find.
        .sort((a, b) => Number(a.want === 'through') - Number(b.want === 'through'))
      for (const { caller, want } of callers) {
        const token = name === 'DELETE /v1/agent/sessions/current' && caller.kind === 'agent' ? await freshSession(caller.agent) : caller.token
        const res: RestResponse = await callRest(relay, { method: route.method as 'GET', url: call.url, token, ...(call.body !== undefined ? { body: call.body } : {}), ...(call.headers ? { headers: call.headers } : {}) })
        const got = res.status === 401 || res.status === 403 ? String(res.body?.code) : 'through'
        if (got !== want) failures.push(`${name} as ${caller.name}: expected ${want}, got ${res.status} ${res.raw.slice(0, 160)}`)
        else if (want !== 'through') expectErrorBody(res, want)
      }
    }
    expect(failures).toEqual([])
  })

  it('lets no public route ask for a credential', async () => {
    for (const route of served().filter((r) => 'public' in (EXPECTED[routeName(r)] ?? {}))) {
      const url = route.url.replace(':siteKey', fixture.brand.siteKey)
      const res = await callRest(relay, { method: route.method as 'GET', url, ...(route.method === 'POST' ? { body: {} } : {}) })
      expect([401, 403], `${routeName(route)}: ${res.raw.slice(0, 120)}`).not.toContain(res.status)
    }
  })
})
