import { describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS, type Limits } from '../../../sdk/src/contract/limits.js'
import { limitEnv, limitFlag, limitsHelp, readLimits } from '../../../server/src/config.js'

const names = Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]

describe('limitFlag and limitEnv', () => {
  it.each([
    ['messagesPerSecond', 'messages-per-second', 'PARLEY_MESSAGES_PER_SECOND'],
    ['maxFrameBytes', 'max-frame-bytes', 'PARLEY_MAX_FRAME_BYTES'],
    ['heartbeatMs', 'heartbeat-ms', 'PARLEY_HEARTBEAT_MS'],
    ['connectionsPerIp', 'connections-per-ip', 'PARLEY_CONNECTIONS_PER_IP'],
  ] as const)('names %s --%s and %s', (name, flag, env) => {
    expect([limitFlag(name), limitEnv(name)]).toEqual([flag, env])
  })

  it('gives every limit a distinct flag and environment variable', () => {
    expect(new Set(names.map(limitFlag)).size).toBe(names.length)
    expect(new Set(names.map(limitEnv)).size).toBe(names.length)
  })
})

describe('readLimits', () => {
  it('returns nothing when no limit is set', () => {
    expect(readLimits({}, {})).toEqual({})
  })

  it('reads a limit from its flag as a number', () => {
    expect(readLimits({ 'messages-per-second': '25' }, {})).toEqual({ messagesPerSecond: 25 })
  })

  it('reads a limit from its environment variable', () => {
    expect(readLimits({}, { PARLEY_MAX_TEXT_LENGTH: '8000' })).toEqual({ maxTextLength: 8000 })
  })

  it('prefers the flag over the environment', () => {
    expect(readLimits({ 'heartbeat-ms': '1000' }, { PARLEY_HEARTBEAT_MS: '2000' })).toEqual({ heartbeatMs: 1000 })
  })

  it('reads every limit by its names', () => {
    const flags = Object.fromEntries(names.map((n, i) => [limitFlag(n), String(i + 1)]))
    expect(readLimits(flags, {})).toEqual(Object.fromEntries(names.map((n, i) => [n, i + 1])))
  })

  it('ignores flags and variables that name no limit', () => {
    expect(readLimits({ port: '8080', 'data-dir': '/x' }, { PARLEY_DATA_DIR: '/x', PORT: '1' })).toEqual({})
  })

  it.each(['abc', '0', '-5', '', 'Infinity', 'NaN', '1e400'])('throws on the invalid value %j, naming the flag and variable', (raw) => {
    expect(() => readLimits({ 'frames-per-second': raw }, {})).toThrow(/--frames-per-second \(PARLEY_FRAMES_PER_SECOND\) must be a positive number/)
  })

  it('throws on an invalid value from the environment too', () => {
    expect(() => readLimits({}, { PARLEY_REPLAY_BATCH: 'lots' })).toThrow(/PARLEY_REPLAY_BATCH/)
  })
})

describe('limitsHelp', () => {
  it('lists every limit with its flag, variable and default', () => {
    const help = limitsHelp()
    for (const n of names) expect(help).toMatch(new RegExp(`--${limitFlag(n)} +${limitEnv(n)} +default ${DEFAULT_LIMITS[n]}\\b`))
  })
})
