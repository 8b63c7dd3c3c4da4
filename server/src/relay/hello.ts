import { PROTOCOL_VERSION, SUPPORTED_PROTOCOL_VERSIONS, type Hello, type Participant, type VisitorContext, type Welcome } from '@parley/sdk/contract'
import type { HelloPort, VisitorSession, WelcomePort } from './session-port.js'
import { visitorHello } from '../identity/visitor-session.js'
import { handleResume } from './resume.js'
import { publishContext } from './visitor-context.js'
import { maskContext } from '../masking/context-masking.js'
import { consentedContext, isVisitTracked } from '../data-rights/consented-context.js'
import { withRef } from './with-ref.js'
import { checkAgentSession } from '../auth/agent-session.js'
import { CONVERSATION_PAGE, readConversationPage } from './conversation-list.js'
import { resendPendingOffers } from './pending-offers.js'
import type { Principal } from '../auth/policy.js'

// hello → welcome: who is this connection? Visitors are recognised by their token (or given a new
// identity); agents by their session token. handleHello answers that and the session records it
// (session.ts); then welcomeConnection joins fan-out, sends welcome and replays what the client
// said it missed, before any live frame of those conversations.

/** Conversations a visitor's welcome lists; an agent's lists (and follows) CONVERSATION_PAGE. */
const WELCOME_CONVERSATIONS = 50

/** Who a checked hello says the connection is: what the session records when it authenticates. */
export interface Identified {
  brandId: string
  who: Participant
  identity: Welcome['identity']
  /** The visitor's context from hello (null for agents). */
  visitorContext: VisitorContext | null
  /** The visitor's session (null for agents). */
  visitorSession: VisitorSession | null
  /** Whom the policy sees: an agent with the role and session read at hello, or the visitor. */
  principal: Principal
  /**
   * The session the token belongs to (an agent's sign-in, a visitor token's `sid`): revoking it
   * closes this connection (session-revocation.ts). Null for a visitor token without one.
   */
  sessionId: string | null
}

/** Checks a hello and says who the connection is; on any doubt it sends a typed error (and closes) and returns false. */
export async function handleHello(h: HelloPort, frame: Hello): Promise<Identified | false> {
  const { deps, limits, signer } = h.ctx
  if (h.isAuthenticated) {
    h.reject('PARLEY_ERR_PROTOCOL_ALREADY_HELLO', [], frame.ref)
    return false
  }
  h.helloReceived()
  if (!SUPPORTED_PROTOCOL_VERSIONS.includes(frame.protocol)) {
    h.fail('PARLEY_ERR_PROTOCOL_VERSION', [frame.protocol, PROTOCOL_VERSION], frame.ref)
    return false
  }
  if ((frame.resume?.length ?? 0) > limits.maxResumeConversations) {
    // Refuse this hello (the connection stays open): the client may say hello again with less.
    h.reject('PARLEY_ERR_LIMIT_REPLAY', [frame.resume!.length, limits.maxResumeConversations], frame.ref)
    return false
  }
  const now = deps.clock.now()
  let who: Participant
  let brandId: string
  let identity: Welcome['identity']
  let context: VisitorContext | null = null
  let visitorSession: VisitorSession | null = null
  let principal: Principal
  let sessionId: string | null = null

  if (frame.auth.kind === 'visitor') {
    const siteBrandId = h.siteBrandId
    if (siteBrandId === null) {
      h.fail('PARLEY_ERR_TENANT_SITE_KEY', [], frame.ref)
      return false
    }
    const known = frame.auth.token !== undefined ? await visitorHello({ signer, store: deps.store, ids: deps.ids }, siteBrandId, frame.auth.token, now) : null
    if (known && !known.ok) { h.fail(known.code, [], frame.ref); return false }
    const visitorId = known ? known.visitorId : deps.ids.next('v_')
    // A returning token keeps its visit (sid); a token from before visits had ids, or none, starts one.
    visitorSession = known ? known.session : { sid: deps.ids.next('vs_') }
    sessionId = visitorSession.sid
    brandId = siteBrandId
    // Masked before it is stored or shown (a page address can carry an e-mail or a token); this
    // also compiles the brand's masker before the connection's first message needs it.
    const masker = await h.ctx.maskers.get(brandId)
    const seen = { known: known !== null, privacySignal: h.privacySignal }
    const consent = { store: deps.store, clock: deps.clock, tracking: h.ctx.tracking, erasureLedger: deps.erasureLedger }
    let counted: boolean
    if (frame.context) {
      const kept = await consentedContext(consent, brandId, visitorId, maskContext(masker, frame.context), seen)
      context = kept.context
      counted = kept.tracking
      if (kept.changed) h.ctx.log.info({ connId: h.connId, brandId, visitorId, consent: kept.changed.state, conversations: kept.changed.conversations }, 'visitor consent recorded')
    } else {
      counted = await isVisitTracked(consent, brandId, visitorId, seen)
    }
    await deps.store.recordVisit(brandId, visitorId, context, now, { counted })
    who = { kind: 'visitor', id: visitorId }
    const customer = known?.customer ?? null
    principal = { kind: 'visitor', brandId, visitorId, ...(customer ? { customerId: customer.customerId } : {}) }
    const issued = signer.sign({
      sub: visitorId, brand: brandId, kind: 'visitor', sid: visitorSession.sid,
      ...(customer ? { cust: customer.customerId } : {}),
    }, limits.visitorTokenTtlSeconds)
    identity = { kind: 'visitor', brandId, visitorId, token: issued.token, expiresAt: issued.expiresAt, ...(customer ? { customer } : {}) }
  } else {
    const v = signer.verify(frame.auth.token)
    if (!v.ok) { h.fail(v.code, [], frame.ref); return false }
    const c = v.claims
    if (c.kind !== 'agent' || (h.siteBrandId !== null && h.siteBrandId !== c.brand)) {
      h.fail('PARLEY_ERR_AUTH_TOKEN_INVALID', [], frame.ref)
      return false
    }
    const checked = await checkAgentSession(deps.store, c, now)
    if (!checked.ok) { h.fail(checked.code, [], frame.ref); return false }
    const { agent, session } = checked
    sessionId = session.sessionId
    brandId = agent.brandId
    await h.ctx.maskers.get(brandId)
    who = { kind: 'agent', id: agent.agentId, name: agent.name }
    principal = { kind: 'agent', brandId, agentId: agent.agentId, role: agent.role, sessionId: session.sessionId }
    identity = { kind: 'agent', brandId, agentId: agent.agentId, name: agent.name, role: agent.role }
  }
  if (!h.isOpen) return false
  return { brandId, who, identity, visitorContext: context, principal, sessionId, visitorSession }
}

/** Runs once the session recorded who the connection is: fan-out, welcome, then the replay hello asked for. */
export async function welcomeConnection(s: WelcomePort, frame: Hello, identity: Welcome['identity']): Promise<boolean> {
  const { limits } = s.ctx
  const { who, brandId } = s
  // Join fan-out before reading the conversation list: whatever commits after the read is then
  // delivered live (held until welcome is out), and whatever committed before it is in lastSeq.
  for (const r of frame.resume ?? []) s.delivery.startResume(r.convId)
  s.ctx.fanout.add(s)
  // Welcome lists the newest conversations, and an agent's connection follows those (the rest are
  // paged with conversation.list): sign-in costs the same however many an agent has joined.
  const first = await readConversationPage(s, who.kind === 'agent' ? CONVERSATION_PAGE : WELCOME_CONVERSATIONS, null)
  // A visitor's listed conversations exist: writing to them opens nothing (opening-limit.ts).
  if (who.kind === 'visitor') for (const c of first.conversations) s.storedIn(c.convId)
  s.welcome({
    type: 'welcome',
    protocol: PROTOCOL_VERSION,
    identity,
    heartbeatMs: limits.heartbeatMs,
    limits: {
      maxFrameBytes: limits.maxFrameBytes,
      maxTextLength: limits.maxTextLength,
      messagesPerSecond: limits.messagesPerSecond,
      maxResumeConversations: limits.maxResumeConversations,
    },
    conversations: first.conversations,
    ...(first.next !== undefined ? { conversationsNext: first.next } : {}),
    ...withRef(frame.ref),
  })
  s.ctx.log.debug({ connId: s.connId, brandId, kind: who.kind }, 'hello')
  if (frame.resume && frame.resume.length > 0) await handleResume(s, frame.resume, undefined)
  // A console back after a reconnect shows the offers still waiting for this agent's answer.
  if (who.kind === 'agent') await resendPendingOffers(s)
  // A returning visitor on a new page: the agents of their open conversations see where they are.
  if (who.kind === 'visitor' && s.visitorContext) await publishContext(s, s.visitorContext)
  // A waiting visitor (back) on a page hears their place in the queue at once; a page load with no
  // open chat costs the queue nothing.
  if (who.kind === 'visitor' && first.conversations.some((c) => c.status === 'open')) s.ctx.queue.visitorConnected(brandId, who.id)
  return true
}
