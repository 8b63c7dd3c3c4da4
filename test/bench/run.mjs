import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { readConfig } from './config.mjs'
import { spawnNode } from './child.mjs'
import { runCleanups } from './lifecycle.mjs'
import { TARGETS, modesOf } from './targets.mjs'
import { readMachineCpuSeconds } from './cpu.mjs'
import { compare, isClean, scaledRate, sustainedRate } from './compare.mjs'
import { formatReport } from './report.mjs'
import { bundleSizeReport } from './browser/sizes.mjs'
import { measureLoaderCost } from './browser/loader-cost.mjs'
import { measureRulesCost } from './browser/rules-cost.mjs'
import { measureSteadiness } from './steadiness.mjs'
import { measureMasking } from './masking.mjs'
import { measureRules } from './rules.mjs'
import { evaluateAims } from './aims.mjs'
import { formatSummary } from './summary.mjs'
import { formatIdleConnections, idleAimResult, idleConfig, isIdleClean, measureIdleConnections } from './idle-connections.mjs'
import { formatAgentFollow, measureAgentFollow } from './agent-follow.mjs'

// `npm run bench`: starts each relay in its own process, points a separate loadgen process at it
// once per mode, and prints how Parley compares with two storage-less baselines. The relay, the
// loadgen and this orchestrator are three processes so neither side of the measurement borrows
// the other's event loop; this process sleeps while they run.
//
// Exits 1 when a run could not be completed or saw errors; the issue's bars are only reported.

const LOADGEN = fileURLToPath(new URL('./loadgen.mjs', import.meta.url))
const RESULTS_DIR = fileURLToPath(new URL('../../.bench/', import.meta.url))
const LABELS = Object.fromEntries(Object.entries(TARGETS).map(([name, t]) => [name, t.label]))
const MODES = ['saturation', 'fixed', 'scaled', 'sustained']

const config = readConfig()
const unknown = config.targets.filter((name) => !(name in TARGETS))
if (unknown.length) {
  process.stderr.write(`bench: unknown target(s) ${unknown.join(', ')}; expected some of ${Object.keys(TARGETS).join(', ')}\n`)
  process.exit(2)
}
const unknownModes = config.modes.filter((mode) => !MODES.includes(mode))
if (unknownModes.length) {
  process.stderr.write(`bench: unknown mode(s) ${unknownModes.join(', ')}; expected some of ${MODES.join(', ')}\n`)
  process.exit(2)
}
// `scaled` takes its rate from raw ws at saturation, so raw ws runs first, and saturation before it;
// `sustained` takes its rate from the same target's saturation run.
config.modes.sort((a, b) => MODES.indexOf(a) - MODES.indexOf(b))
if (config.modes.includes('scaled') && !config.scaledRate) {
  if (config.targets.includes('raw-ws') && config.modes.includes('saturation')) {
    // The ceiling, which needs no rate, may stay ahead of it.
    const rank = (name) => ({ ceiling: 0, 'raw-ws': 1 })[name] ?? 2
    config.targets.sort((a, b) => rank(a) - rank(b))
  } else {
    log('scaled: skipped; its rate comes from raw ws at saturation in the same run (or BENCH_SCALED_RATE)')
    config.modes = config.modes.filter((mode) => mode !== 'scaled')
  }
}
const machine = {
  cpus: cpus().length, cpuModel: cpus()[0]?.model?.trim() ?? 'unknown CPU', node: process.versions.node,
  busyBefore: await sampleMachineBusy(1000),
  steadiness: {},
}
// Measured before and after the relays, so a run says how much of its latency tail the machine
// itself imposed (steadiness.mjs). BENCH_STEADINESS=0 skips it.
if (config.steadiness && config.targets.length) machine.steadiness.before = await probeSteadiness('before the relays')
const results = {}

for (const name of config.targets) {
  results[name] = {}
  log(`${LABELS[name]}: starting`)
  let target
  const startedAt = performance.now()
  try {
    target = await TARGETS[name].start(config)
    log(`${LABELS[name]}: ready in ${((performance.now() - startedAt) / 1000).toFixed(1)} s`)
  } catch (err) {
    results[name].error = `could not start: ${err.message}`
    log(`${LABELS[name]}: ${results[name].error}`)
    continue
  }
  for (const mode of config.modes) {
    if (!modesOf(name).includes(mode)) continue
    const rate = mode === 'scaled' ? scaledRate(config, results) : mode === 'sustained' ? sustainedRate(config, results, name) : config.rate
    if (rate === null) {
      results[name][mode] = { error: mode === 'scaled' ? 'no rate: raw ws did not complete its saturation run' : 'no rate: its saturation run did not complete cleanly' }
      continue
    }
    log(`${LABELS[name]}: ${mode}${mode === 'saturation' ? '' : ` at ${rate} msgs/s`}`)
    results[name][mode] = await runLoadgen(target, mode, rate)
    if (results[name][mode].error) log(`${LABELS[name]}: ${mode} failed: ${results[name][mode].error}`)
  }
  const notes = target.notes()
  if (notes.length) results[name].notes = notes
  await target.stop()
}

if (config.steadiness && config.targets.length) machine.steadiness.after = await probeSteadiness('after the relays')
const comparison = compare(results, config)
if (config.targets.length) process.stdout.write(formatReport({ results, labels: LABELS, comparison, config, machine }))

// The memory aims the relay runs do not measure, each on a relay of its own: idle visitor
// connections, and an agent following 3,000 conversations. Their aim results go to the summary
// under their keys in STANDALONE_AIMS (aims.mjs); a failure is reported there as NOT RUN.
const standaloneAims = {}
const memory = {}
if (config.memory) {
  const idle = idleConfig()
  log(`idle connections: ${idle.connections} idle visitor connections on ${idle.targets.join(', ')}, one relay at a time`)
  memory.idleConnections = await reportMemoryBench('Idle connections', async () => {
    const measured = await measureIdleConnections(idle)
    const aim = idleAimResult(measured)
    return {
      lines: formatIdleConnections(measured),
      aim: aim ?? { error: measured.problems.join('; ') || 'no Parley figure at the aim\'s 10,000 connections' },
      error: isIdleClean(measured) ? null : 'connections failed or a target could not be measured (see above)',
    }
  })
  standaloneAims['idle-connections'] = memory.idleConnections.aim
  log('agent follow: agent sockets that each follow every open conversation of one brand')
  memory.agentFollow = await reportMemoryBench('Agent follow', async () => {
    const result = await measureAgentFollow({ log })
    return { lines: formatAgentFollow(result), aim: result, error: null }
  })
  standaloneAims['agent-follow'] = memory.agentFollow.aim
}

/**
 * Runs one memory bench and prints its lines; resolves with { aim, error, seconds }: its aim result
 * (or { error }) and what failed, if anything. Like the page costs, a failure is printed, not thrown.
 */
async function reportMemoryBench(label, measure) {
  const startedAt = performance.now()
  const seconds = () => Math.round((performance.now() - startedAt) / 100) / 10
  try {
    const { lines, aim, error } = await measure()
    process.stdout.write(`\n${label} (${seconds()} s)\n${lines.join('\n')}\n`)
    if (error) process.stdout.write(`${label}: failed: ${error}\n`)
    return { aim, error, seconds: seconds() }
  } catch (err) {
    process.stdout.write(`\n${label}: failed: ${err.message}\n`)
    return { aim: { error: err.message }, error: err.message, seconds: seconds() }
  }
}

// The browser side: bundle sizes against their budgets, what the script tag costs a page, and
// what 20 deployment rules add to it.
const browser = {}
if (config.browser) {
  const sizes = bundleSizeReport()
  browser.sizes = sizes.sizes
  process.stdout.write(`${sizes.lines.join('\n')}\n\n`)
  log('page cost: loading a blank page with and without the script tag in Chromium')
  browser.loaderCost = await reportPageCost('Script tag cost', measureLoaderCost)
  log('rules cost: the widget with 20 deployment rules against none, in Chromium')
  browser.rulesCost = await reportPageCost('Rules page cost', measureRulesCost)
}

/** Runs one page-cost measurement and prints its table; resolves with its results, or the error it failed with. */
async function reportPageCost(label, measure) {
  try {
    const cost = await measure()
    process.stdout.write(`${cost.lines.join('\n')}\n\n`)
    return cost.results ?? null
  } catch (err) {
    process.stdout.write(`${label}: failed: ${err.message}\n\n`)
    return { error: err.message }
  }
}

// The masking engine on its own (no relay): MB/s and µs per message against a digit-replace pass.
let masking = null
if (config.masking) {
  log('masking engine: every detector on, 200-byte messages')
  const measured = measureMasking()
  masking = measured.results
  process.stdout.write(`${measured.lines.join('\n')}\n\n`)
}
// The rule evaluator on its own: µs per evaluation of 100 rules against the same tests as closures.
let rules = null
if (config.rules) {
  log('rule evaluator: 100 rules against one visitor')
  const measured = measureRules()
  rules = measured.results
  process.stdout.write(`${measured.lines.join('\n')}\n\n`)
}
// Last: the issue's figures in its own shape, and its aims.
const aims = evaluateAims(results, config, standaloneAims)
if (config.targets.length || Object.keys(standaloneAims).length) process.stdout.write(formatSummary({ results, labels: LABELS, config, aims }))

mkdirSync(RESULTS_DIR, { recursive: true })
const resultsFile = `${RESULTS_DIR}results.json`
writeFileSync(resultsFile, `${JSON.stringify({ finishedAt: new Date().toISOString(), machine, config, results, comparison, aims, standaloneAims, memory, browser, masking, rules }, null, 2)}\n`)
process.stdout.write(`Results written to .bench/results.json\n`)

const runsMode = (name, mode) => modesOf(name).includes(mode)
const failed = Boolean(browser.loaderCost?.error) || Boolean(browser.rulesCost?.error) ||
  Boolean(memory.idleConnections?.error) || Boolean(memory.agentFollow?.error) || Object.entries(results).some(([name, byMode]) =>
  byMode.error || config.modes.some((mode) => runsMode(name, mode) && !isClean(byMode[mode])))
if (failed) process.stderr.write('bench: at least one run failed or saw errors (see Problems above)\n')
runCleanups()
process.exit(failed ? 1 : 0)

// One loadgen process per (target, mode), so each mode starts from fresh connections and a cold
// generator heap, and a crash in one run cannot take the others with it.
async function runLoadgen(target, mode, rate) {
  const job = {
    // Functions (stop, notes) drop out of the JSON; the loadgen gets only what it connects with.
    // That includes the agents' session tokens: the environment of a local child is fine for a
    // throwaway relay, and results.json never contains them.
    target, mode,
    conversations: config.conversations, textBytes: config.textBytes, text: config.text, inflight: config.inflight, rate,
    warmupMs: config.warmupSeconds * 1000, measureMs: config.seconds * 1000, drainMs: config.drainSeconds * 1000,
  }
  const child = spawnNode(`loadgen (${target.name}, ${mode})`, [...config.loadgenNodeArgs, LOADGEN], { env: { ...process.env, BENCH_JOB: JSON.stringify(job) }, echoStderr: true })
  const budgetMs = 60_000 + (config.warmupSeconds + config.seconds + config.drainSeconds) * 1000
  try {
    const result = await child.waitForJson((line) => line.mode === mode, budgetMs)
    await child.exited
    return result
  } catch (err) {
    child.kill('SIGKILL')
    return { error: err.message }
  }
}

// How many cores something else keeps busy before we start: on a shared 2-core machine that is
// the first thing to know about every figure that follows.
async function sampleMachineBusy(ms) {
  const before = readMachineCpuSeconds()
  await new Promise((resolve) => setTimeout(resolve, ms))
  const after = readMachineCpuSeconds()
  return before === null || after === null ? null : (after - before) / (ms / 1000)
}

async function probeSteadiness(when) {
  log(`machine steadiness ${when}: busy loops on 1 core, then on every core`)
  try {
    return await measureSteadiness()
  } catch (err) {
    log(`machine steadiness: ${err.message}`)
    return null
  }
}

function log(line) {
  process.stderr.write(`bench: ${line}\n`)
}
