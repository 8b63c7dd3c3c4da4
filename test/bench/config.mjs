// The benchmark's knobs. Defaults are the scenario; the environment can shorten a run
// (BENCH_SECONDS=2 for a smoke test) or point it at fewer targets while working on one.

/** The run configuration from `env` (BENCH_* variables), with the scenario as defaults. */
export function readConfig(env = process.env) {
  const conversations = integer(env.BENCH_CONVERSATIONS, 200)
  return {
    conversations,
    textBytes: integer(env.BENCH_TEXT_BYTES, 200),
    // `words` (default): plain words, which masking's fast path skips; `digits`: an order number,
    // a date, an amount and a phone number in every message, which every detector has to look at.
    text: env.BENCH_TEXT === 'digits' ? 'digits' : 'words',
    inflight: integer(env.BENCH_INFLIGHT, 4),
    rate: integer(env.BENCH_RATE, 10_000),
    warmupSeconds: number(env.BENCH_WARMUP_SECONDS, 1),
    seconds: number(env.BENCH_SECONDS, 5),
    // Long enough for a relay with a deep queue to empty it; unacked messages are errors.
    drainSeconds: number(env.BENCH_DRAIN_SECONDS, 10),
    // `none` skips the relay runs (e.g. BENCH_TARGETS=none to measure only the browser side).
    targets: (env.BENCH_TARGETS ?? 'ceiling,raw-ws,socketio,ws-sqlite,parley,parley-masking-off,parley-pg,parley-pg-2').split(',').map((s) => s.trim()).filter((s) => s && s !== 'none'),
    // Bundle sizes and the script tag's cost to a page, in Chromium; BENCH_BROWSER=0 skips them.
    browser: env.BENCH_BROWSER !== '0',
    // Busy loops before and after the relays (steadiness.mjs); BENCH_STEADINESS=0 skips them.
    steadiness: env.BENCH_STEADINESS !== '0',
    // The masking engine's throughput (masking.mjs); BENCH_MASKING=0 skips it.
    masking: env.BENCH_MASKING !== '0',
    // The rule evaluator's speed (rules.mjs); BENCH_RULES=0 skips it.
    rules: env.BENCH_RULES !== '0',
    // Idle visitor connections and an agent following 3,000 conversations, each on a relay of its
    // own with its inspector open (idle-connections.mjs, agent-follow.mjs); BENCH_MEMORY=0 skips both.
    memory: env.BENCH_MEMORY !== '0',
    // `scaled` is `fixed` at the share of this machine's raw ws saturation (compare.mjs);
    // `sustained` (the PostgreSQL targets' instead of both) is `fixed` at half the target's own saturation.
    modes: (env.BENCH_MODES ?? 'saturation,fixed,scaled,sustained').split(',').map((s) => s.trim()).filter(Boolean),
    // The offered rate of `scaled` when this run has no raw ws saturation figure to derive it from.
    scaledRate: env.BENCH_SCALED_RATE ? integer(env.BENCH_SCALED_RATE, 0) : null,
    // The offered rate of `sustained` instead of half of each target's saturation rate in the run.
    sustainedRate: env.BENCH_SUSTAINED_RATE ? integer(env.BENCH_SUSTAINED_RATE, 0) : null,
    // One agent per conversation. Parley delivers a joined conversation to every connection of
    // the joining agent (an agent's open tabs all follow it), so one agent behind all 200 agent
    // connections would turn each message into 200 deliveries instead of a 1:1 conversation.
    parleyAgents: integer(env.BENCH_PARLEY_AGENTS, conversations),
    // Node flags for the relay process only, e.g. `--cpu-prof --cpu-prof-dir=.bench/profiles` to
    // see where Parley spends the benchmark (NODE_OPTIONS refuses --cpu-prof).
    parleyNodeArgs: (env.BENCH_PARLEY_NODE_ARGS ?? '').split(/\s+/).filter(Boolean),
    // Node flags for each loadgen process, e.g. `--cpu-prof --cpu-prof-dir=.bench/loadgen-profiles`.
    loadgenNodeArgs: (env.BENCH_LOADGEN_NODE_ARGS ?? '').split(/\s+/).filter(Boolean),
  }
}

function number(raw, fallback) {
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isFinite(n) || n <= 0) throw new Error(`expected a positive number, got ${JSON.stringify(raw)}`)
  return n
}

function integer(raw, fallback) {
  const n = number(raw, fallback)
  if (!Number.isInteger(n)) throw new Error(`expected a positive integer, got ${JSON.stringify(raw)}`)
  return n
}
