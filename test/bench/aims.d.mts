import type { RunResult } from './compare.mjs'

/** A run's result as the aims read it: the comparisons' figures plus the relay's RSS. */
export type AimInput = RunResult & { relayRssBytes?: { peak: number; mean: number; samples: number } | null }
/** One standalone script's result (test/bench/idle-connections.mjs, agent-follow.mjs). */
export interface StandaloneResult { name?: string; figure?: number; unit?: string; aim?: number | string; pass?: boolean | null; error?: string }
/** Parley's peak relay RSS at saturation against Socket.IO 4's: at most. */
export const RSS_VS_SOCKETIO: number
/** The aims measured by scripts of their own, by the key their result is passed under. */
export const STANDALONE_AIMS: { key: string; name: string; script: string }[]
/** `name`'s peak relay RSS in `mode` as a ratio to Socket.IO 4's; null when either was not measured. */
export function rssRatioToSocketIo(results: Record<string, Record<string, AimInput | undefined> | undefined>, name: string, mode?: string): number | null
/** Every aim of the issue as `{ name, status, detail }`, relay aims first, then the standalone ones. */
export function evaluateAims(
  results: Record<string, { error?: string; saturation?: AimInput; fixed?: AimInput }>,
  config: { rate: number },
  standalone?: Record<string, StandaloneResult | undefined>,
): { name: string; status: 'PASS' | 'FAIL' | 'NOT RUN'; detail: string }[]
