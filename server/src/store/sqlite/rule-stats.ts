import type Database from 'better-sqlite3'
import type { RuleCountsDelta, RuleCountsRow, Store } from '../store.js'

// The rule_stats table (migration 9): anonymous counters per rule, rollout arm and UTC day. A row
// holds four numbers and nothing about who was counted.

interface StatsRow {
  rule_id: string; arm: 'treatment' | 'control'; day: string
  impressions: number; clicks: number; dismissals: number; chats: number
}

type RuleStatsMethods = Pick<Store, 'addRuleCounts' | 'readRuleCounts'>

/** The Store's rule-count methods over `db`. */
export function createRuleStats(db: Database.Database): RuleStatsMethods {
  const q = {
    add: db.prepare(`INSERT INTO rule_stats (brand_id, rule_id, arm, day, impressions, clicks, dismissals, chats)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (brand_id, rule_id, arm, day) DO UPDATE SET
        impressions = impressions + excluded.impressions, clicks = clicks + excluded.clicks,
        dismissals = dismissals + excluded.dismissals, chats = chats + excluded.chats`),
    read: db.prepare<[string, string, string], StatsRow>(`SELECT rule_id, arm, day, impressions, clicks, dismissals, chats
      FROM rule_stats WHERE brand_id = ? AND day >= ? AND day <= ? ORDER BY day, rule_id, arm`),
  }
  const addAll = db.transaction((brandId: string, day: string, deltas: readonly RuleCountsDelta[]) => {
    for (const d of deltas) q.add.run(brandId, d.ruleId, d.arm, day, d.impressions, d.clicks, d.dismissals, d.chats)
  })
  return {
    async addRuleCounts(brandId, day, deltas) {
      if (deltas.length > 0) addAll.immediate(brandId, day, deltas)
    },
    async readRuleCounts(brandId, fromDay, toDay): Promise<RuleCountsRow[]> {
      return q.read.all(brandId, fromDay, toDay).map((r) => ({
        ruleId: r.rule_id, arm: r.arm, day: r.day, impressions: r.impressions, clicks: r.clicks, dismissals: r.dismissals, chats: r.chats,
      }))
    },
  }
}
