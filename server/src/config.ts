import { DEFAULT_LIMITS, type Limits } from '@parley/sdk/contract'

// Settings from flags and environment. Flags win over environment, environment over defaults.
// Each limit `fooBar` is `--foo-bar` on the command line and `PARLEY_FOO_BAR` in the environment.

const RATES = new Set<keyof Limits>(['messagesPerSecond', 'visitorMessagesPerSecond', 'framesPerSecond'])

/** A limit's command-line flag name. */
export function limitFlag(name: keyof Limits): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
}

/** A limit's environment variable name. */
export function limitEnv(name: keyof Limits): string {
  return `PARLEY_${name.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`
}

/** The limits named by flags or environment; throws on a value that is not a positive number. */
export function readLimits(flags: Record<string, unknown>, env: NodeJS.ProcessEnv): Partial<Limits> {
  const out: Partial<Limits> = {}
  for (const name of Object.keys(DEFAULT_LIMITS) as (keyof Limits)[]) {
    const raw = flags[limitFlag(name)] ?? env[limitEnv(name)]
    if (raw === undefined) continue
    const n = Number(raw)
    // Rates may be fractional (one message every two seconds); counts, sizes and times may not.
    const fractional = RATES.has(name)
    if (!Number.isFinite(n) || n <= 0 || (!fractional && !Number.isSafeInteger(n))) {
      const what = fractional ? 'a positive number' : 'a positive whole number'
      throw new Error(`--${limitFlag(name)} (${limitEnv(name)}) must be ${what}, got ${String(raw)}`)
    }
    out[name] = n
  }
  return out
}

/** Help text for the limits, generated from the defaults so it cannot drift. */
export function limitsHelp(): string {
  return (Object.keys(DEFAULT_LIMITS) as (keyof Limits)[])
    .map((n) => `  --${limitFlag(n).padEnd(28)} ${limitEnv(n).padEnd(38)} default ${DEFAULT_LIMITS[n]}`)
    .join('\n')
}
