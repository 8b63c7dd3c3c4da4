import { describe, expect, it } from 'vitest'
import { STANDALONE_AIMS, evaluateAims, type AimInput } from '../../bench/aims.mjs'

// Issue 20's aims are judged from one run's results: ratios between targets measured side by side.
// A figure from a run that lost messages cannot pass; an aim whose runs are missing is NOT RUN.

const clean = { errors: 0, unacked: 0, undelivered: 0, foreign: 0, unknownAcks: 0 }
const MiB = 2 ** 20
const run = ({ delivered = 10_000, perCpu = 30_000, p99 = 10, rss = 100 * MiB }: { delivered?: number; perCpu?: number; p99?: number; rss?: number | null } = {}): AimInput =>
  ({ ...clean, deliveredPerSecond: delivered, perRelayCpuSecond: perCpu, ackMs: { p99 }, relayRssBytes: rss === null ? null : { peak: rss, mean: rss, samples: 50 } })
const config = { rate: 10_000 }

/** A run in which every aim of the relay holds. */
function passingResults() {
  return {
    'socketio': { saturation: run({ perCpu: 35_000, rss: 80 * MiB }), fixed: run() },
    'ws-sqlite': { saturation: run(), fixed: run({ p99: 20 }) },
    'parley': { saturation: run({ perCpu: 36_000, rss: 100 * MiB }), fixed: run({ p99: 24 }) },
    'parley-pg': { saturation: run({ delivered: 5_000, perCpu: 28_800 }) },
    'parley-pg-2': { saturation: run({ delivered: 8_000, perCpu: 15_000 }) },
  }
}

const statusOf = (aims: { name: string; status: string }[], words: string) => aims.find((a) => a.name.includes(words))?.status

describe('evaluateAims', () => {
  it('passes every relay aim at its bound: 1, 0.8, 1.6, 1.2 and 1.3 are enough', () => {
    const results = passingResults()
    results.parley.saturation = run({ perCpu: 35_000, rss: 104 * MiB })
    results.parley.fixed = run({ p99: 24 })
    const aims = evaluateAims(results, config)
    expect(aims.slice(0, 5).map((a) => a.status)).toEqual(['PASS', 'PASS', 'PASS', 'PASS', 'PASS'])
  })

  it('fails each aim its figure misses, and says by how much', () => {
    const results = passingResults()
    results.parley.saturation = run({ perCpu: 33_670, rss: 233 * MiB })
    results.parley.fixed = run({ p99: 25 })
    results['parley-pg'].saturation = run({ delivered: 5_000, perCpu: 20_000 })
    results['parley-pg-2'].saturation = run({ delivered: 7_500 })
    const aims = evaluateAims(results, config)
    expect(aims.slice(0, 5).map((a) => a.status)).toEqual(['FAIL', 'FAIL', 'FAIL', 'FAIL', 'FAIL'])
    expect(aims[0]!.detail).toBe('ratio 0.96: 33,670 against 35,000')
    expect(aims[3]!.detail).toBe('ratio 1.25: 25.0 ms against 20.0 ms')
    expect(aims[4]!.detail).toBe('ratio 2.91: 233.0 MiB against 80.0 MiB')
  })

  it('cannot pass on a run that lost messages', () => {
    const results = passingResults()
    results.parley.saturation = { ...run({ perCpu: 50_000 }), unacked: 3 }
    const aims = evaluateAims(results, config)
    expect(statusOf(aims, 'Parley (masking on)')).toBe('FAIL')
    expect(aims[0]!.detail).toContain('the run had errors')
  })

  it('reports the PostgreSQL aims as NOT RUN when those targets did not run or could not start', () => {
    const { socketio, parley } = passingResults()
    const aims = evaluateAims({ socketio, parley, 'parley-pg': { error: 'could not start: PostgreSQL is not reachable' } }, config)
    expect(statusOf(aims, 'PostgreSQL (1 node)')).toBe('NOT RUN')
    expect(statusOf(aims, '2 nodes')).toBe('NOT RUN')
    expect(statusOf(aims, 'ws + SQLite')).toBe('NOT RUN')
    expect(statusOf(aims, 'Parley (masking on)')).toBe('PASS')
  })

  it('reports the RSS aim as NOT RUN, not FAIL, when clean runs have no RSS figure', () => {
    const results = passingResults()
    results.parley.saturation = run({ rss: null })
    expect(statusOf(evaluateAims(results, config), 'relay RSS')).toBe('NOT RUN')
  })

  it('lists the standalone aims as NOT RUN until their scripts hand in a result', () => {
    const aims = evaluateAims({}, config)
    expect(aims.slice(5).map((a) => [a.name, a.status])).toEqual(STANDALONE_AIMS.map((spec) => [spec.name, 'NOT RUN']))
    expect(aims[5]!.detail).toContain('test/bench/idle-connections.mjs')
  })

  it('takes a standalone script\'s own verdict and figure', () => {
    const aims = evaluateAims({}, config, {
      'idle-connections': { name: '10,000 idle visitor connections', figure: 182.44, unit: 'MB', aim: 200, pass: true },
      'agent-follow': { name: 'agent following 3,000 conversations', figure: 61.2, unit: 'KB per socket', aim: '< 50 KB per socket', pass: false },
    })
    expect(aims.slice(5)).toEqual([
      { name: '10,000 idle visitor connections', status: 'PASS', detail: '182.4 MB; aim 200 MB' },
      { name: 'agent following 3,000 conversations', status: 'FAIL', detail: '61.2 KB per socket; aim < 50 KB per socket' },
    ])
  })
})
