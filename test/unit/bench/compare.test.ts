import { describe, expect, it } from 'vitest'
import { compare, sustainedRate, type RunResult } from '../../bench/compare.mjs'

// Parley on PostgreSQL (one node, and two through Redis) is reported beside raw ws and beside
// Parley on SQLite, as ratios computed the same way as Parley's to its baselines.

const clean = { errors: 0, unacked: 0, undelivered: 0, foreign: 0, unknownAcks: 0 }
const run = (delivered: number, perCpu: number, p99: number): RunResult => ({ ...clean, deliveredPerSecond: delivered, perRelayCpuSecond: perCpu, ackMs: { p99 } })
const config = { rate: 10_000, modes: ['saturation', 'fixed'] }

describe('compare: store variants', () => {
  it('gives each PostgreSQL target its ratios to raw ws and to Parley on SQLite', () => {
    const results = {
      'raw-ws': { saturation: run(40_000, 50_000, 1), fixed: run(10_000, 40_000, 2) },
      'parley': { saturation: run(20_000, 20_000, 5), fixed: run(10_000, 15_000, 20) },
      'parley-pg': { saturation: run(10_000, 10_000, 9), fixed: run(8_000, 12_000, 40) },
      'parley-pg-2': { saturation: run(5_000, 4_000, 12), fixed: run(5_000, 5_000, 100) },
    }
    const { variants } = compare(results, config)
    expect(Object.keys(variants)).toEqual(['parley-pg', 'parley-pg-2'])
    expect(variants['parley-pg']!.saturation).toEqual({ 'raw-ws': 0.25, 'parley': 0.5 })
    expect(variants['parley-pg']!.fixed['parley']).toEqual({ delivered: 0.8, p99: 2 })
    expect(variants['parley-pg-2']!.perRelayCpuSecond.saturation).toEqual({ 'raw-ws': 0.08, 'parley': 0.2 })
    expect(variants['parley-pg-2']!.fixed['raw-ws']).toEqual({ delivered: 0.5, p99: 50 })
  })

  it('leaves out a variant that could not start, and keeps the issue\'s bars on Parley on SQLite', () => {
    const results = {
      'raw-ws': { saturation: run(40_000, 50_000, 1) },
      'parley': { saturation: run(30_000, 20_000, 5) },
      'parley-pg-2': { error: 'could not start: Redis is not reachable' },
    }
    const { variants, bars } = compare(results, { rate: 10_000, modes: ['saturation'] })
    expect(variants).toEqual({})
    expect(bars[0]).toMatchObject({ status: 'PASS', detail: 'ratio 0.75' })
  })
})

describe('sustainedRate', () => {
  it('offers a target half of what it delivered at saturation in the same run', () => {
    expect(sustainedRate({}, { 'parley-pg': { saturation: run(3_801, 1, 1) } }, 'parley-pg')).toBe(1_901)
  })

  it('has no rate when the target\'s saturation run lost messages, unless BENCH_SUSTAINED_RATE names one', () => {
    const results = { 'parley-pg': { saturation: { ...run(3_800, 1, 1), unacked: 3 } } }
    expect(sustainedRate({}, results, 'parley-pg')).toBeNull()
    expect(sustainedRate({ sustainedRate: 1_500 }, results, 'parley-pg')).toBe(1_500)
  })
})
