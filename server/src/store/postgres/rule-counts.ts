import type { RuleCountsRow, Store } from '../store.js'
import type { PgDb } from './db.js'

// Anonymous counters per rule, rollout arm and UTC day (rule_stats): four numbers a row, nothing
// about who was counted.

type RuleCountMethods = Pick<Store, 'addRuleCounts' | 'readRuleCounts'>

interface StatsRow {
  rule_id: string; arm: 'treatment' | 'control'; day: string
  impressions: number; clicks: number; dismissals: number; chats: number
}

/** The Store's rule-count methods over `db`. */
export function createRuleCounts(db: PgDb): RuleCountMethods {
  return {
    async addRuleCounts(brandId, day, deltas) {
      if (deltas.length === 0) return
      const col = <K extends keyof (typeof deltas)[number]>(k: K) => deltas.map((d) => d[k])
      // One upsert for the batch. Deltas for the same rule and arm are summed first (an upsert may
      // touch a row once), and rows are taken in key order, so two batches at once never deadlock.
      await db.tx(brandId, (tx) => tx.run(`
        INSERT INTO rule_stats AS s (brand_id, rule_id, arm, day, impressions, clicks, dismissals, chats)
        SELECT $1, d.rule_id, d.arm, $2, sum(d.impressions), sum(d.clicks), sum(d.dismissals), sum(d.chats)
          FROM unnest($3::text[], $4::text[], $5::int[], $6::int[], $7::int[], $8::int[])
            AS d (rule_id, arm, impressions, clicks, dismissals, chats)
          GROUP BY d.rule_id, d.arm ORDER BY d.rule_id, d.arm
        ON CONFLICT (brand_id, rule_id, arm, day) DO UPDATE SET
          impressions = s.impressions + excluded.impressions, clicks = s.clicks + excluded.clicks,
          dismissals = s.dismissals + excluded.dismissals, chats = s.chats + excluded.chats`,
      [brandId, day, col('ruleId'), col('arm'), col('impressions'), col('clicks'), col('dismissals'), col('chats')]))
    },
    async readRuleCounts(brandId, fromDay, toDay): Promise<RuleCountsRow[]> {
      const rows = await db.tx(brandId, (tx) => tx.rows<StatsRow>(`SELECT rule_id, arm, day, impressions, clicks, dismissals, chats
        FROM rule_stats WHERE brand_id = $1 AND day >= $2 AND day <= $3 ORDER BY day, rule_id COLLATE "C", arm`, [brandId, fromDay, toDay]))
      return rows.map((r) => ({
        ruleId: r.rule_id, arm: r.arm, day: r.day, impressions: r.impressions, clicks: r.clicks, dismissals: r.dismissals, chats: r.chats,
      }))
    },
  }
}
