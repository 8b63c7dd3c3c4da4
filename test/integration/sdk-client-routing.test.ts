import { describe, expect, it } from 'vitest'
import { Value } from '@sinclair/typebox/value'
import { InvalidRequestError, NotFoundError, Parley } from '@parley/sdk'
import { Agent, AgentPresenceList, RoutingConfig, SupervisorView } from '@parley/sdk/contract'
import { rejection, sdkRelay } from '../helpers/sdk-relay.js'
import { createTestAgent, createTestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { expectErrorBody } from '../helpers/expect-error.js'

// parley.routing and agents' skills against a real relay: the settings round-trip with their
// defaults, agents may read them but only the brand writes them, bad values are typed refusals that
// change nothing, and skills are replaced whole and show in the presence list.

describe('parley.routing and skills against the relay', () => {
  const s = sdkRelay()
  const fresh = async () => {
    const brand = await createTestBrand(s.relay)
    return { brand, sdk: new Parley({ relay: s.relay.url, apiKey: brand.apiKey }) }
  }

  it('reads the defaults before anything is saved, then what set saved with its defaults, and what update changed', async () => {
    const { sdk } = await fresh()
    expect(await sdk.routing.get()).toEqual({ offerTimeoutSec: 30, inactivityCloseMin: 30 })
    const saved = await sdk.routing.set({ mode: 'automatic', offerTimeoutSec: 20 })
    expect(saved).toEqual({ mode: 'automatic', offerTimeoutSec: 20, inactivityCloseMin: 30 })
    expect(Value.Check(RoutingConfig, saved)).toBe(true)
    expect(await sdk.routing.update({ offerTimeoutSec: 45 })).toMatchObject({ mode: 'automatic', offerTimeoutSec: 45 })
    expect(await sdk.routing.get()).toMatchObject({ mode: 'automatic', offerTimeoutSec: 45 })
  })

  it('reads the floor through parley.supervisor: the mode, the brand\'s agents and the queue, as the contract shapes them', async () => {
    const { brand, sdk } = await fresh()
    const agent = await createTestAgent(s.relay, brand.brandId)
    await sdk.routing.set({ mode: 'automatic' })
    const floor = await sdk.supervisor.get()
    expect(Value.Check(SupervisorView, floor)).toBe(true)
    expect(floor).toMatchObject({ mode: 'automatic', queue: [], queueLength: 0, missedToday: 0 })
    expect(floor.agents.map((a) => a.agentId)).toEqual([agent.agentId])
  })

  it('refuses an offer timeout out of range or an unknown mode with InvalidRequestError, saving nothing', async () => {
    const { sdk } = await fresh()
    await sdk.routing.set({ mode: 'automatic', offerTimeoutSec: 20 })
    for (const bad of [{ offerTimeoutSec: 4 }, { offerTimeoutSec: 601 }, { mode: 'random' }, { inactivityCloseMin: -1 }, { colour: 'red' }]) {
      const err = await rejection(sdk.routing.set(bad as never))
      expect(err).toBeInstanceOf(InvalidRequestError)
      expect(err).toMatchObject({ code: 'PARLEY_ERR_REQUEST_INVALID', status: 400 })
    }
    expect(await sdk.routing.get()).toMatchObject({ mode: 'automatic', offerTimeoutSec: 20 })
  })

  it('lets the brand\'s agents read the settings but not change them', async () => {
    const { brand, sdk } = await fresh()
    await sdk.routing.set({ mode: 'automatic' })
    const agent = await createTestAgent(s.relay, brand.brandId)
    const read = await callRest(s.relay, { url: '/v1/routing', token: agent.token })
    expect(read.status).toBe(200)
    expect(read.body).toMatchObject({ mode: 'automatic' })
    expectErrorBody(await callRest(s.relay, { method: 'PUT', url: '/v1/routing', token: agent.token, body: { mode: 'manual' } }), 'PARLEY_ERR_AUTH_ROLE')
    expect(await sdk.routing.get()).toMatchObject({ mode: 'automatic' })
    // Another brand's key sees its own settings, never these.
    const other = await fresh()
    expect((await other.sdk.routing.get()).mode).toBeUndefined()
  })

  it('describes /v1/routing and the skills of PATCH /v1/agents/:agentId in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${s.relay.url}/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, any>> }
    const routing = doc.paths['/v1/routing']!
    expect(Object.keys(routing).sort()).toEqual(['get', 'patch', 'put'])
    expect(Object.keys(routing.put.requestBody.content['application/json'].schema.properties).sort()).toEqual(['inactivityCloseMin', 'mode', 'offerTimeoutSec'])
    const patch = doc.paths['/v1/agents/{agentId}']!.patch
    expect(patch.requestBody.content['application/json'].schema.properties.skills).toMatchObject({ type: 'array', maxItems: 20, uniqueItems: true })
  })

  it('replaces an agent\'s skills whole and shows them in the agent and the presence list', async () => {
    const { sdk } = await fresh()
    const agent = await sdk.agents.create({ email: 'skills@agents.example', name: 'Sky', password: 'correct horse battery' })
    expect(agent.skills).toEqual([])
    const updated = await sdk.agents.update(agent.agentId, { skills: ['billing', 'tech'] })
    expect(Value.Check(Agent, updated)).toBe(true)
    expect(updated).toMatchObject({ skills: ['billing', 'tech'], capacity: 3, name: 'Sky' })
    expect((await sdk.agents.update(agent.agentId, { capacity: 2 })).skills).toEqual(['billing', 'tech'])
    expect((await sdk.agents.update(agent.agentId, { skills: ['sales'] })).skills).toEqual(['sales'])
    const presence = await sdk.agents.presence()
    expect(Value.Check(AgentPresenceList, presence)).toBe(true)
    expect(presence.agents.find((a) => a.agentId === agent.agentId)?.skills).toEqual(['sales'])
  })

  it('refuses skills that are not slugs, repeated, or too many with InvalidRequestError, and an unknown agent with NotFoundError', async () => {
    const { sdk } = await fresh()
    const agent = await sdk.agents.create({ email: 'bad@agents.example', name: 'Bad', password: 'correct horse battery' })
    await sdk.agents.update(agent.agentId, { skills: ['billing'] })
    const tooMany = Array.from({ length: 21 }, (_, i) => `s${i}`)
    for (const skills of [['Billing'], ['billing', 'billing'], [''], tooMany]) {
      const err = await rejection(sdk.agents.update(agent.agentId, { skills }))
      expect(err).toBeInstanceOf(InvalidRequestError)
      expect(err.code).toBe('PARLEY_ERR_REQUEST_INVALID')
    }
    const presence = await sdk.agents.presence()
    expect(presence.agents.find((a) => a.agentId === agent.agentId)?.skills).toEqual(['billing'])
    const missing = await rejection(sdk.agents.update('a_nobody', { skills: ['tech'] }))
    expect(missing).toBeInstanceOf(NotFoundError)
    expect(missing.code).toBe('PARLEY_ERR_AGENT_NOT_FOUND')
  })
})
