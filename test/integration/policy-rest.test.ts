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
import { scopesOfRole } from '../../server/src/admin/api-keys.js'

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
  'GET /v1/audit': { action: 'audit.read', kinds: KEY_OR_AGENT },
  'GET /v1/keys': { action: 'keys.manage', kinds: KEY_OR_AGENT },
  'POST /v1/keys': { action: 'keys.manage', kinds: KEY_OR_AGENT },
  'POST /v1/keys/:keyId/rotate': { action: 'keys.manage', kinds: KEY_OR_AGENT },
  'DELETE /v1/keys/:keyId': { action: 'keys.manage', kinds: KEY_OR_AGENT },
  'GET /v1/webhooks': { action: 'webhooks.manage', kinds: KEY_OR_AGENT },
  'POST /v1/webhooks': { action: 'webhooks.manage', kinds: KEY_OR_AGENT },
  'GET /v1/webhooks/:endpointId': { action: 'webhooks.manage', kinds: KEY_OR_AGENT },
  'PATCH /v1/webhooks/:endpointId': { action: 'webhooks.manage', kinds: KEY_OR_AGENT },
  'DELETE /v1/webhooks/:endpointId': { action: 'webhooks.manage', kinds: KEY_OR_AGENT },
  'POST /v1/webhooks/:endpointId/rotate-secret': { action: 'webhooks.manage', kinds: KEY_OR_AGENT },
  'GET /v1/webhooks/:endpointId/deliveries': { action: 'webhooks.manage', kinds: KEY_OR_AGENT },
  'POST /v1/webhooks/deliveries/:deliveryId/replay': { action: 'webhooks.manage', kinds: KEY_OR_AGENT },
  'POST /v1/webhooks/:endpointId/test': { action: 'webhooks.manage', kinds: KEY_OR_AGENT },

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
  'GET /v1/security': { action: 'config.read', kinds: KEY_OR_AGENT },
  'PUT /v1/security': { action: 'config.write', kinds: KEY_OR_AGENT },
  'PATCH /v1/security': { action: 'config.write', kinds: KEY_OR_AGENT },
  'PATCH /v1/routing': { action: 'config.write', kinds: KEY_OR_AGENT },
  'POST /v1/masking/runs': { action: 'config.write', kinds: KEY_OR_AGENT },
  'POST /v1/identity/secrets': { action: 'config.write', kinds: KEY_OR_AGENT },
  'GET /v1/identity/secrets': { action: 'config.write', kinds: KEY_OR_AGENT },
  'DELETE /v1/identity/secrets/:secretId': { action: 'config.write', kinds: KEY_OR_AGENT },
  'GET /v1/privacy': { action: 'config.read', kinds: KEY_OR_AGENT },
  'PUT /v1/privacy': { action: 'data.erase', kinds: KEY_OR_AGENT },
  'PATCH /v1/privacy': { action: 'data.erase', kinds: KEY_OR_AGENT },
  'PUT /v1/conversations/:convId/hold': { action: 'data.erase', kinds: KEY_OR_AGENT },
  'DELETE /v1/conversations/:convId/hold': { action: 'data.erase', kinds: KEY_OR_AGENT },
  'POST /v1/visitors/export': { action: 'data.export', kinds: KEY_OR_AGENT },
  'POST /v1/visitors/correct': { action: 'data.erase', kinds: KEY_OR_AGENT },
  'POST /v1/visitors/consent': { action: 'data.erase', kinds: KEY_OR_AGENT },
  'POST /v1/visitors/erase': { action: 'data.erase', kinds: KEY_OR_AGENT },
  'GET /v1/erasures': { action: 'data.erase', kinds: KEY_OR_AGENT },
  'GET /v1/erasures/:requestId': { action: 'data.erase', kinds: KEY_OR_AGENT },
  'DELETE /v1/erasures/:requestId': { action: 'data.erase', kinds: KEY_OR_AGENT },
  'PATCH /v1/conversations/:convId/surveys/:surveyId/answers': { action: 'data.erase', kinds: KEY_OR_AGENT },
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
  // An endpoint URL the relay refuses (this relay allows no private address): creates nothing.
  'POST /v1/webhooks': () => ({ url: '/v1/webhooks', body: { url: 'https://127.0.0.1/hooks', events: ['message.created'] } }),
  'GET /v1/webhooks/:endpointId': () => ({ url: '/v1/webhooks/whe_nobody' }),
  'PATCH /v1/webhooks/:endpointId': () => ({ url: '/v1/webhooks/whe_nobody', body: { enabled: false } }),
  'DELETE /v1/webhooks/:endpointId': () => ({ url: '/v1/webhooks/whe_nobody' }),
  'POST /v1/webhooks/:endpointId/rotate-secret': () => ({ url: '/v1/webhooks/whe_nobody/rotate-secret', body: {} }),
  'GET /v1/webhooks/:endpointId/deliveries': () => ({ url: '/v1/webhooks/whe_nobody/deliveries' }),
  'POST /v1/webhooks/deliveries/:deliveryId/replay': () => ({ url: '/v1/webhooks/deliveries/whd_nobody/replay' }),
  'POST /v1/webhooks/:endpointId/test': () => ({ url: '/v1/webhooks/whe_nobody/test' }),
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
  'PUT /v1/security': () => ({ url: '/v1/security', body: {} }),
  'PATCH /v1/security': () => ({ url: '/v1/security', body: {} }),
  'PATCH /v1/routing': () => ({ url: '/v1/routing', body: {} }),
  'DELETE /v1/identity/secrets/:secretId': () => ({ url: '/v1/identity/secrets/is_nobody' }),
  'PUT /v1/privacy': () => ({ url: '/v1/privacy', body: {} }),
  'PATCH /v1/privacy': () => ({ url: '/v1/privacy', body: {} }),
  'PUT /v1/conversations/:convId/hold': (f) => ({ url: `/v1/conversations/${f.convId}/hold`, body: { reason: 'policy test' } }),
  'DELETE /v1/conversations/:convId/hold': (f) => ({ url: `/v1/conversations/${f.convId}/hold` }),
  'POST /v1/visitors/export': (f) => ({ url: '/v1/visitors/export', body: { selector: { visitorId: `v-${f.convId}` } } }),
  'POST /v1/visitors/correct': () => ({ url: '/v1/visitors/correct', body: { selector: { visitorId: 'v_nobody' }, contact: { name: 'New' } } }),
  'POST /v1/visitors/consent': () => ({ url: '/v1/visitors/consent', body: { selector: { visitorId: 'v_nobody' }, state: 'denied' } }),
  'POST /v1/visitors/erase': () => ({ url: '/v1/visitors/erase', body: { selector: { visitorId: 'v_nobody' } } }),
  'GET /v1/erasures/:requestId': () => ({ url: '/v1/erasures/er_nobody' }),
  'DELETE /v1/erasures/:requestId': () => ({ url: '/v1/erasures/er_nobody' }),
  'PATCH /v1/conversations/:convId/surveys/:surveyId/answers': (f) => ({ url: `/v1/conversations/${f.convId}/surveys/intake/answers`, body: { answers: { name: 'New' } } }),
}

/** Who calls: a key with these scopes, an agent account of a role, or the conversation's visitor. */
type Caller =
  | { name: string; kind: 'brand'; scopes: readonly Scope[]; token: string }
  | { name: string; kind: 'agent'; role: Role; token: string; agent: TestAgent }
  | { name: string; kind: 'visitor'; token: string }

/** 'through', or the code of the 403 the contract's table gives `caller` on a route of `access`. */
/**
 * Scopes a key needs on a route besides its action's: naming an account's role takes the scopes of
 * what that role may do (the request above creates a plain agent), or a key could sign in as it.
 */
const ROLE_SCOPES: Record<string, readonly Scope[]> = { 'POST /v1/agents': scopesOfRole('agent') }

function expectedAnswer(name: string, access: Exclude<RouteAccess, { public: string }>, caller: Caller): 'through' | ErrorCode {
  const action = 'action' in access ? access.action : null
  if (!access.kinds.includes(caller.kind)) return 'PARLEY_ERR_AUTH_FORBIDDEN'
  if (caller.kind === 'brand' && action) {
    const needed = ROLE_SCOPES[name] ?? []
    return scopesAllow(caller.scopes, action) && needed.every((s) => caller.scopes.includes(s)) ? 'through' : 'PARLEY_ERR_AUTH_SCOPE'
  }
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
      keyHash: hashApiKey(secret), prefix: secret.slice(0, 8), createdAt: Date.now(), lastUsedAt: null, expiresAt: null, revokedAt: null, createdBy: 'cli', replacedBy: null,
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
        .map((caller) => ({ caller, want: expectedAnswer(name, access, caller) }))
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

  it('lets no route take an API key without asking the policy about an action that names its scope', async () => {
    const doc = (await callRest(relay, { url: '/v1/openapi.json' })).body as { paths: Record<string, Record<string, { description?: string; security?: { bearer?: string[] }[]; 'x-parley-actions'?: Action[] }>> }
    const keyRoutes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops)
      .filter(([, op]) => op.description?.includes('brand API key'))
      .map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })))
    expect(keyRoutes.length).toBeGreaterThan(40)
    for (const { name, op } of keyRoutes) {
      expect(op['x-parley-actions'], name).toBeDefined()
      expect(op.security?.[0]?.bearer?.length, name).toBeGreaterThan(0)
    }
  })

  it('lets no public route ask for a credential', async () => {
    for (const route of served().filter((r) => 'public' in (EXPECTED[routeName(r)] ?? {}))) {
      const url = route.url.replace(':siteKey', fixture.brand.siteKey)
      const res = await callRest(relay, { method: route.method as 'GET', url, ...(route.method === 'POST' ? { body: {} } : {}) })
      expect([401, 403], `${routeName(route)}: ${res.raw.slice(0, 120)}`).not.toContain(res.status)
    }
  })
})

describe('what an agent of the plain role sees over REST', () => {
  let relay: TestRelay
  let brand: TestBrand
  let agent: TestAgent
  let supervisor: TestAgent
  /** Conversations of the brand: one the agent takes part in, one another agent holds, one closed, one waiting. */
  const convs = { mine: '', others: '', closed: '', waiting: '' }
  let othersFile = ''

  const get = (url: string, token: string) => callRest(relay, { url, token })
  const deniedEntries = async (actorId: string) => relay.deps.store.listAudit(brand.brandId, { action: 'access.denied', actorId, limit: 1000 })

  beforeAll(async () => {
    relay = await startRelay()
    brand = await createTestBrand(relay)
    agent = await createTestAgent(relay, brand.brandId, 'Plain', 'agent')
    supervisor = await createTestAgent(relay, brand.brandId, 'Super', 'supervisor')
    const colleague = await createTestAgent(relay, brand.brandId, 'Colleague', 'agent')
    const ids = await seedConversations(relay, brand.brandId, 4, 'iso', Date.now() - 10_000)
    ;[convs.mine, convs.others, convs.closed, convs.waiting] = ids as [string, string, string, string]
    const now = Date.now()
    await relay.deps.store.assignConversation(brand.brandId, convs.mine, agent.agentId, now, { onlyIfWaiting: true })
    await relay.deps.store.assignConversation(brand.brandId, convs.others, colleague.agentId, now, { onlyIfWaiting: true })
    await relay.deps.store.closeConversation(brand.brandId, convs.closed, { kind: 'visitor', id: `v-${convs.closed}` }, now)
    // A file sent in the colleague's conversation, its bytes in the blob store.
    othersFile = `att_iso_${Math.random().toString(36).slice(2, 8)}`
    const blobKey = `${brand.brandId}/${othersFile}`
    const { Readable } = await import('node:stream')
    await relay.deps.blobs!.put(blobKey, Readable.from([Buffer.from('%PDF-1.4 test')]), 'application/pdf')
    await relay.deps.store.createAttachment({
      brandId: brand.brandId, attachmentId: othersFile, uploader: `visitor:v-${convs.others}`, name: 'invoice.pdf', type: 'application/pdf', size: 13,
      width: null, height: null, blobKey, thumbKey: null, createdAt: now, convId: convs.others, seq: 1,
    })
  })
  afterAll(async () => { await relay?.close() })

  const transcriptUrls = (convId: string) => [
    `/v1/conversations/${convId}`, `/v1/conversations/${convId}/messages`, `/v1/conversations/${convId}/notes`, `/v1/conversations/${convId}/responses`,
  ]

  it('refuses every transcript route of a conversation it never took part in with PARLEY_ERR_AUTH_NOT_PARTICIPANT, auditing each', async () => {
    const before = (await deniedEntries(agent.agentId)).length
    const urls = [...transcriptUrls(convs.others), ...transcriptUrls(convs.closed), `/v1/attachments/${othersFile}`]
    for (const url of urls) expectErrorBody(await get(url, agent.token), 'PARLEY_ERR_AUTH_NOT_PARTICIPANT')
    const all = await deniedEntries(agent.agentId)
    expect(all.length - before).toBe(urls.length)
    const entries = all.slice(0, urls.length)
    for (const e of entries) {
      expect(e).toMatchObject({ action: 'access.denied', outcome: 'denied', code: 'PARLEY_ERR_AUTH_NOT_PARTICIPANT', actor: { kind: 'agent', id: agent.agentId } })
      expect([convs.others, convs.closed]).toContain(e.resource?.id)
    }
  })

  it('reads the conversations it takes part in, and those waiting in the queue', async () => {
    for (const url of [...transcriptUrls(convs.mine), ...transcriptUrls(convs.waiting)]) {
      const res = await get(url, agent.token)
      expect(res.status, `${url}: ${res.raw.slice(0, 200)}`).toBe(200)
    }
  })

  it('lists and searches only the conversations it takes part in', async () => {
    const listed = await get('/v1/conversations', agent.token)
    expect(listed.status).toBe(200)
    expect(listed.body.conversations.map((c: { convId: string }) => c.convId)).toEqual([convs.mine])
    const searched = await get(`/v1/conversations?q=${encodeURIComponent('hello')}`, agent.token)
    expect(searched.body.conversations.map((c: { convId: string }) => c.convId)).toEqual([convs.mine])
    // Every other filter narrows within its own, never beyond them: the closed one is another's.
    const closed = await get('/v1/conversations?status=closed', agent.token)
    expect(closed.body.conversations).toEqual([])
  })

  it("answers a visitor filter with its own conversations with that visitor, refusing and auditing nothing", async () => {
    // The console's "Earlier conversations" panel asks this for every chat an agent opens.
    const before = (await deniedEntries(agent.agentId)).length
    const mine = await get(`/v1/conversations?visitorId=v-${convs.mine}`, agent.token)
    expect(mine.status, mine.raw).toBe(200)
    expect(mine.body.conversations.map((c: { convId: string }) => c.convId)).toEqual([convs.mine])
    const others = await get(`/v1/conversations?visitorId=v-${convs.others}`, agent.token)
    expect(others.status, others.raw).toBe(200)
    expect(others.body.conversations).toEqual([])
    expect((await deniedEntries(agent.agentId)).length).toBe(before)
  })

  it('reads, once it takes part, a conversation it was refused', async () => {
    expectErrorBody(await get(`/v1/conversations/${convs.others}/messages`, agent.token), 'PARLEY_ERR_AUTH_NOT_PARTICIPANT')
    await relay.deps.store.joinConversation(brand.brandId, convs.others, agent.agentId, Date.now())
    expect((await get(`/v1/conversations/${convs.others}/messages`, agent.token)).status).toBe(200)
    const file = await get(`/v1/attachments/${othersFile}`, agent.token)
    expect(file.status).toBe(200)
    expect(file.raw).toBe('%PDF-1.4 test')
    const listed = await get('/v1/conversations', agent.token)
    expect(listed.body.conversations.map((c: { convId: string }) => c.convId).sort()).toEqual([convs.mine, convs.others].sort())
  })

  it('lets a supervisor read and list every conversation of the brand', async () => {
    for (const convId of Object.values(convs)) {
      for (const url of transcriptUrls(convId)) expect((await get(url, supervisor.token)).status, url).toBe(200)
    }
    expect((await get(`/v1/attachments/${othersFile}`, supervisor.token)).status).toBe(200)
    const listed = await get('/v1/conversations', supervisor.token)
    expect(listed.body.conversations.map((c: { convId: string }) => c.convId).sort()).toEqual(Object.values(convs).sort())
    expect((await get(`/v1/conversations?visitorId=v-${convs.others}`, supervisor.token)).body.conversations).toHaveLength(1)
  })

  it("answers a visitor asking for another's conversation PARLEY_ERR_CONV_NOT_FOUND and audits nothing for it", async () => {
    const signer = createTokenSigner(relay.deps.tokenSecret, () => Date.now())
    const visitor = signer.sign({ sub: `v-${convs.mine}`, brand: brand.brandId, kind: 'visitor' }, 3600).token
    expect((await get(`/v1/conversations/${convs.mine}`, visitor)).status).toBe(200)
    for (const url of [`/v1/conversations/${convs.others}`, `/v1/conversations/${convs.others}/messages`]) expectErrorBody(await get(url, visitor), 'PARLEY_ERR_CONV_NOT_FOUND')
    expectErrorBody(await get(`/v1/attachments/${othersFile}`, visitor), 'PARLEY_ERR_ATTACHMENT_NOT_FOUND')
    expect(await relay.deps.store.listAudit(brand.brandId, { actorId: `v-${convs.mine}`, limit: 10 })).toEqual([])
    // Their own listing holds theirs only, whatever visitor they name.
    const listed = await get(`/v1/conversations?visitorId=v-${convs.others}`, visitor)
    expect(listed.body.conversations.map((c: { convId: string }) => c.convId)).toEqual([convs.mine])
  })

  it('refuses a key without transcripts:read on every transcript route with PARLEY_ERR_AUTH_SCOPE, auditing each', async () => {
    const secret = createApiKey()
    const keyId = `k_iso_${Math.random().toString(36).slice(2, 8)}`
    await relay.deps.store.createApiKey({
      brandId: brand.brandId, keyId, name: 'no transcripts', scopes: SCOPES.filter((s) => s !== 'transcripts:read'), keyHash: hashApiKey(secret),
      prefix: secret.slice(0, 8), createdAt: Date.now(), lastUsedAt: null, expiresAt: null, revokedAt: null, createdBy: 'cli', replacedBy: null,
    })
    const urls = ['/v1/conversations', '/v1/conversations?q=hello', ...transcriptUrls(convs.mine), `/v1/attachments/${othersFile}`, `/v1/attachments/${othersFile}/thumbnail`, '/v1/conversations/nope']
    for (const url of urls) expectErrorBody(await get(url, secret), 'PARLEY_ERR_AUTH_SCOPE')
    const entries = await relay.deps.store.listAudit(brand.brandId, { action: 'access.denied', actorId: keyId, limit: 100 })
    expect(entries).toHaveLength(urls.length)
    expect(entries.every((e) => e.code === 'PARLEY_ERR_AUTH_SCOPE' && e.actor.kind === 'key')).toBe(true)
  })
})

describe('a customer history for agents, as the brand sets it', () => {
  let relay: TestRelay
  beforeAll(async () => { relay = await startRelay() })
  afterAll(async () => { await relay.close() })

  /**
   * A brand (agentsSeeCustomerHistory as given) whose plain agent Ann took part in one of verified
   * customer Vera's two conversations; Vic, verified too, and Uma, not verified, have one each, and
   * Ann took part in Uma's only.
   */
  async function floor(history: boolean) {
    const brand = await createTestBrand(relay)
    if (history) await relay.deps.store.setSecurityConfig(brand.brandId, { agentsSeeCustomerHistory: true })
    const ann = await createTestAgent(relay, brand.brandId, 'Ann', 'agent')
    const open = async (convId: string, visitorId: string, at: number) => {
      const [r] = await relay.deps.store.appendMessages([{ brandId: brand.brandId, convId, clientMsgId: `${convId}-m1`, from: { kind: 'visitor', id: visitorId }, text: `hello from ${convId}`, at, context: null }])
      expect(r?.ok).toBe(true)
      await relay.deps.store.closeConversation(brand.brandId, convId, { kind: 'visitor', id: visitorId }, at + 1)
    }
    await open('vera-old', 'v-vera', 1_000)
    await open('vera-new', 'v-vera', 2_000)
    await open('vic-1', 'v-vic', 3_000)
    await open('uma-1', 'v-uma', 4_000)
    await open('uma-2', 'v-uma', 5_000)
    for (const [customerId, visitorId] of [['c-vera', 'v-vera'], ['c-vic', 'v-vic']] as const) {
      await relay.deps.store.linkCustomer({ brandId: brand.brandId, customerId, visitorId, newVisitorId: visitorId, convIds: [], name: null, email: null, at: 10 })
    }
    await relay.deps.store.joinConversation(brand.brandId, 'vera-new', ann.agentId, 6_000)
    await relay.deps.store.joinConversation(brand.brandId, 'uma-2', ann.agentId, 6_000)
    const get = (url: string) => callRest(relay, { url, token: ann.token })
    const listed = async (visitorId: string) => {
      const res = await get(`/v1/conversations?visitorId=${visitorId}`)
      expect(res.status, res.raw).toBe(200)
      return res.body.conversations.map((c: { convId: string }) => c.convId).sort()
    }
    return { brand, ann, get, listed }
  }

  const readUrls = (convId: string) => [
    `/v1/conversations/${convId}`, `/v1/conversations/${convId}/messages`, `/v1/conversations/${convId}/notes`, `/v1/conversations/${convId}/responses`,
  ]

  it("lets an agent list, search and read every conversation of a verified customer they serve when the brand allows it", async () => {
    const { brand, ann, get, listed } = await floor(true)
    expect(await listed('v-vera')).toEqual(['vera-new', 'vera-old'])
    const found = await get('/v1/conversations?visitorId=v-vera&q=hello')
    expect(found.body.conversations.map((c: { convId: string }) => c.convId).sort()).toEqual(['vera-new', 'vera-old'])
    for (const url of readUrls('vera-old')) expect((await get(url)).status, url).toBe(200)
    // Each read is audited as one; none is a denial.
    const reads = await relay.deps.store.listAudit(brand.brandId, { action: 'conversation.read', actorId: ann.agentId, limit: 100 })
    expect(reads.filter((e) => e.resource?.id === 'vera-old').length).toBeGreaterThan(0)
    expect(await relay.deps.store.listAudit(brand.brandId, { action: 'access.denied', actorId: ann.agentId, limit: 100 })).toEqual([])
    // Without the filter the listing is still the agent's own.
    expect((await get('/v1/conversations')).body.conversations.map((c: { convId: string }) => c.convId).sort()).toEqual(['uma-2', 'vera-new'])
  })

  it('keeps a verified customer the agent does not serve, and a visitor never verified, to what the agent took part in', async () => {
    const { get, listed } = await floor(true)
    expect(await listed('v-vic')).toEqual([])
    expect(await listed('v-uma')).toEqual(['uma-2'])
    for (const convId of ['vic-1', 'uma-1']) {
      for (const url of readUrls(convId)) expectErrorBody(await get(url), 'PARLEY_ERR_AUTH_NOT_PARTICIPANT')
    }
  })

  it("keeps the listing to the agent's own conversations with the customer when the brand leaves agentsSeeCustomerHistory off", async () => {
    const { brand, ann, get, listed } = await floor(false)
    expect(await listed('v-vera')).toEqual(['vera-new'])
    expect(await relay.deps.store.listAudit(brand.brandId, { action: 'access.denied', actorId: ann.agentId, limit: 100 })).toEqual([])
    for (const url of readUrls('vera-old')) expectErrorBody(await get(url), 'PARLEY_ERR_AUTH_NOT_PARTICIPANT')
    expect((await get('/v1/conversations/vera-new')).status).toBe(200)
  })

  it('lets a supervisor read any customer history, whatever the setting', async () => {
    const { brand } = await floor(false)
    const sup = await createTestAgent(relay, brand.brandId, 'Sue', 'supervisor')
    const res = await callRest(relay, { url: '/v1/conversations?visitorId=v-vic', token: sup.token })
    expect(res.body.conversations.map((c: { convId: string }) => c.convId)).toEqual(['vic-1'])
    for (const url of readUrls('vic-1')) expect((await callRest(relay, { url, token: sup.token })).status, url).toBe(200)
  })
})
