/** One loadgen result, as far as the comparisons read it. */
export interface RunResult {
  error?: string
  deliveredPerSecond?: number
  perRelayCpuSecond?: number | null
  ackMs?: { p99?: number }
  errors?: number
  unacked?: number
  undelivered?: number
  foreign?: number
  unknownAcks?: number
  offeredPerSecond?: number
}
type ByMode = { saturation: Record<string, number | null>; fixed: Record<string, { delivered: number | null; p99: number | null }>; scaled: Record<string, { delivered: number | null; p99: number | null }>; perRelayCpuSecond: Record<'saturation' | 'fixed' | 'scaled', Record<string, number | null>> }
/** Parley on other stores, compared with raw ws and with Parley on SQLite. */
export const STORE_VARIANTS: string[]
export const P99_BAR_MS: number
/** Parley's ratios to each baseline, each store variant's to raw ws and Parley, and the bars. */
export function compare(
  results: Record<string, { error?: string; saturation?: RunResult; fixed?: RunResult; scaled?: RunResult }>,
  config: { rate: number; modes: string[] },
): { ratios: ByMode; variants: Record<string, ByMode>; bars: { name: string; status: string; detail: string }[]; context: { name: string; status: string; detail: string }[] }
/** The share of its own saturation rate a target is offered in the `sustained` mode. */
export const SUSTAINED_SHARE: number
/** The offered rate of `name`'s `sustained` mode, or null when its saturation run did not complete cleanly. */
export function sustainedRate(config: { sustainedRate?: number | null }, results: Record<string, { saturation?: RunResult }>, name: string): number | null
