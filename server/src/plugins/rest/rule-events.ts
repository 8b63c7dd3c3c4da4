import type { FastifyPluginAsync } from 'fastify'
import { Type } from '@sinclair/typebox'
import {
  RuleEventBatch, RuleStats, RuleStatsQuery, SiteParams,
  type RuleCounts, type RuleEventKind, type RuleStatsEntry,
} from '@parley/sdk/contract'
import type { Deps } from '../../deps.js'
import type { RuleCountsDelta } from '../../store/store.js'
import { addressKey } from '../../address-key.js'
import { retryAfter } from './rate-limits.js'
import { siteBrand } from './site-brand.js'

// What deployment rules showed, counted: widgets POST batches of events (public, like the site
// config) and the brand reads the counts per rule, rollout arm and UTC day. Nothing that names a
// visitor is accepted, stored or logged: an event is a rule id, an arm and what happened, and the
// rate limit's key (the address) lives only in memory.

/** Batches one brand's pages at one address may send a minute (an office behind one NAT shares it). */
export const RULE_EVENT_BATCHES_PER_MINUTE = 120

const MS_PER_DAY = 86_400_000

/** The UTC day (`YYYY-MM-DD`) of `ms`. */
export function utcDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

const FIELD: Record<RuleEventKind, keyof RuleCounts> = { impression: 'impressions', click: 'clicks', dismiss: 'dismissals', chat: 'chats' }
const zero = (): RuleCounts => ({ impressions: 0, clicks: 0, dismissals: 0, chats: 0 })

/** POST /v1/sites/:siteKey/rule-events; GET /v1/rules/stats. */
export const ruleEventRoutes: FastifyPluginAsync<{ deps: Deps }> = async (app, { deps }) => {
  const perAddress = app.createRateLimit({
    max: RULE_EVENT_BATCHES_PER_MINUTE,
    timeWindow: 60_000,
    keyGenerator: (req) => `rule-events\n${(req.params as Partial<SiteParams>).siteKey ?? ''}\n${addressKey(req.ip)}`,
  })

  app.post<{ Params: SiteParams; Body: RuleEventBatch }>('/v1/sites/:siteKey/rule-events', {
    schema: {
      summary: 'Count what deployment rules showed (anonymous; events of rules the brand no longer has are dropped)',
      params: SiteParams, body: RuleEventBatch, response: { 204: Type.Null({ description: 'Counted' }) },
    },
    preHandler: async (req, reply) => {
      const r = await perAddress(req)
      if (!r.isAllowed && r.isExceeded) {
        req.log.warn({ route: 'rule-events' }, 'rule event rate limit reached')
        throw retryAfter(reply, RULE_EVENT_BATCHES_PER_MINUTE / 60, r.ttl)
      }
    },
  }, async (req, reply) => {
    const brand = await siteBrand(deps.store, req.params.siteKey, req, reply)
    const current = new Set((await deps.store.getRulesConfig(brand.brandId))?.rules.map((r) => r.id) ?? [])
    const byArm = new Map<string, RuleCountsDelta>()
    let dropped = 0
    for (const e of req.body.events) {
      if (!current.has(e.ruleId)) {
        dropped++
        continue
      }
      const key = `${e.ruleId}\n${e.arm}`
      let d = byArm.get(key)
      if (!d) byArm.set(key, (d = { ruleId: e.ruleId, arm: e.arm, ...zero() }))
      d[FIELD[e.event]]++
    }
    await deps.store.addRuleCounts(brand.brandId, utcDay(deps.clock.now()), [...byArm.values()])
    req.log.debug({ brandId: brand.brandId, counted: req.body.events.length - dropped, dropped }, 'rule events counted')
    return reply.code(204).send()
  })

  app.get<{ Querystring: RuleStatsQuery }>('/v1/rules/stats', {
    schema: { summary: 'Counts of what each deployment rule showed, per rollout arm and UTC day', querystring: RuleStatsQuery, response: { 200: RuleStats } },
    preHandler: app.authorize('reports.read'),
  }, async (req): Promise<RuleStats> => {
    const brandId = req.principal!.brandId
    const days = req.query.days ?? 30
    const now = deps.clock.now()
    const dayList = Array.from({ length: days }, (_, i) => utcDay(now - (days - 1 - i) * MS_PER_DAY))
    const from = dayList[0]!
    const to = dayList[dayList.length - 1]!
    const [config, rows] = await Promise.all([deps.store.getRulesConfig(brandId), deps.store.readRuleCounts(brandId, from, to)])
    const stored = new Map(rows.map((r) => [`${r.ruleId}\n${r.arm}\n${r.day}`, r]))
    // Every current rule, in its order, with zeros where nothing was counted, so a chart has every
    // day; the control arm only for rules with a rollout or with counts in it. Removed rules' counts
    // stay stored but are not shown.
    const rules: RuleStatsEntry[] = (config?.rules ?? []).map((rule) => {
      const arms = (['treatment', 'control'] as const).filter((arm) =>
        arm === 'treatment' || rule.rollout !== undefined || rows.some((r) => r.ruleId === rule.id && r.arm === 'control'))
      return {
        ruleId: rule.id,
        arms: arms.map((arm) => {
          const totals = zero()
          const perDay = dayList.map((day) => {
            const r = stored.get(`${rule.id}\n${arm}\n${day}`)
            const counts = r ? { impressions: r.impressions, clicks: r.clicks, dismissals: r.dismissals, chats: r.chats } : zero()
            for (const k of Object.keys(totals) as (keyof RuleCounts)[]) totals[k] += counts[k]
            return { day, counts }
          })
          return { arm, totals, days: perDay }
        }),
      }
    })
    return { from, to, rules }
  })
}
