import { randomBytes } from 'node:crypto'
import type { Role, Survey } from '@parley/sdk/contract'
import { createTestAgent, type TestBrand } from './brand.js'
import type { TestRelay } from './start-relay.js'
import { TestClient } from './ws-client.js'

// A brand's floor for routing tests: a pre-chat form whose answer gives the chat a skill, visitors
// opening chats through it, and agents with skills and a capacity, connected over real sockets.

/** The teams a visitor can pick; `any` needs no skill. */
export type Team = 'billing' | 'tech' | 'any'

/** The pre-chat form: the team picked routes the chat to that skill (billing chats are urgent). */
export const TEAM_SURVEY: Survey = {
  id: 'team', kind: 'pre', version: 1,
  fields: [{ id: 'team', type: 'choice', label: 'Team', required: true, options: [
    { value: 'billing', label: 'Billing', route: { skill: 'billing' } },
    { value: 'tech', label: 'Tech', route: { skill: 'tech' } },
    { value: 'urgent', label: 'Urgent billing', route: { skill: 'billing', priority: 'urgent' } },
    { value: 'any', label: 'Anything else' },
  ] }],
}

/** Saves the team form as the brand's pre-chat survey. */
export async function saveTeamSurvey(relay: TestRelay, brandId: string): Promise<void> {
  await relay.deps.store.setSurveysConfig(brandId, { surveys: [TEAM_SURVEY], pre: 'team' }, [TEAM_SURVEY], 1)
}

/** Turns automatic routing on (or off) straight in the store, with offers of `offerTimeoutSec`. */
export async function setRouting(relay: TestRelay, brandId: string, mode: 'manual' | 'automatic', offerTimeoutSec = 30): Promise<void> {
  await relay.deps.store.setRoutingConfig(brandId, { mode, offerTimeoutSec })
}

/** A visitor who opened a chat for `team`, and its id. */
export interface WaitingVisitor { client: TestClient; convId: string; visitorId: string }

/** Connects a visitor and opens a chat for `team` (`urgent`: billing, urgent priority). */
export async function openChat(relay: TestRelay, brand: TestBrand, team: Team | 'urgent'): Promise<WaitingVisitor> {
  const { client, welcome } = await TestClient.visitor(relay.wsUrl, brand.siteKey, { origin: brand.origin })
  // Letters only: sixteen random hex digits are a Luhn-valid card number about once in 2,000 ids,
  // and the relay refuses an id that hides one.
  const convId = `c${Array.from(randomBytes(12), (b) => String.fromCharCode(97 + (b % 26))).join('')}`
  client.send({ type: 'conversation.open', convId, clientMsgId: 'open', survey: { surveyId: 'team', version: 1, answers: { team } } })
  await client.next('conversation.started', (f) => f.convId === convId)
  const visitorId = welcome.identity.kind === 'visitor' ? welcome.identity.visitorId : ''
  return { client, convId, visitorId }
}

/** An agent on the floor: their id and token, and their console's socket. */
export interface FloorAgent { agentId: string; token: string; client: TestClient; name: string }

/** Creates an agent with `skills` and `capacity` (a supervisor unless `role` says), then connects them (available unless they say otherwise). */
export async function floorAgent(relay: TestRelay, brandId: string, name: string, skills: string[], capacity = 3, role: Role = 'supervisor'): Promise<FloorAgent> {
  const a = await createTestAgent(relay, brandId, name, role)
  await relay.deps.store.updateAgent(brandId, a.agentId, { skills, capacity })
  const { client } = await TestClient.agent(relay.wsUrl, a.token)
  return { agentId: a.agentId, token: a.token, client, name }
}
