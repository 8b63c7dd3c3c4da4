import { startBaseline } from './baseline-target.mjs'
import { startParley } from './parley-target.mjs'
import { startParleyPostgres } from './parley-pg-target.mjs'

const DETECTORS = ['card', 'securityCode', 'ssn', 'iban', 'email', 'phone']
const MASKING_OFF = Object.fromEntries(DETECTORS.map((d) => [d, { enabled: false }]))
const MASKING_ALL = {
  ...Object.fromEntries(DETECTORS.map((d) => [d, { enabled: true }])),
  patterns: [{ name: 'order', pattern: 'ORD-[0-9]{8}' }],
}

// The relays the benchmark can measure, by the names BENCH_TARGETS uses, in report order. Each
// `start(config)` resolves with what the loadgen connects with ({ name, protocol, url, pid, ... })
// plus `stop()` and `notes()` (anything the relay did that the report should mention).

/** The modes a target runs unless it names its own. */
const COMMON_MODES = ['saturation', 'fixed', 'scaled']

/** The modes `name` runs (of those the run asks for). */
export const modesOf = (name) => TARGETS[name].modes ?? COMMON_MODES

/**
 * Every target: its report label, how to start it, and (if not the common ones) the modes it runs. The
 * ceiling is the loadgen against a relay that only acks: the most the loadgen itself can drive,
 * and at a fixed load, the latency the loadgen adds on its own.
 */
export const TARGETS = {
  'ceiling': { label: 'loadgen ceiling (null relay, acks only)', modes: ['saturation', 'fixed'], start: () => startBaseline('ceiling') },
  'raw-ws': { label: 'raw ws (no storage)', start: () => startBaseline('raw-ws') },
  'socketio': { label: 'Socket.IO 4 (no storage)', start: () => startBaseline('socketio') },
  'ws-sqlite': { label: 'ws + SQLite (FULL, group commit)', start: () => startBaseline('ws-sqlite') },
  'parley': { label: 'Parley (SQLite, synchronous=FULL)', start: (config) => startParley({ agentCount: config.parleyAgents, nodeArgs: config.parleyNodeArgs }) },
  // Production's stores: PostgreSQL (a fresh database per run), one node, and two nodes joined
  // through Redis with each conversation's visitor and agent on different nodes; their relay CPU is
  // both processes' summed, and PostgreSQL's and Redis's own CPU is measured beside it. This machine
  // cannot sustain 10k/s (or the scaled load) on them, so instead of a fixed load they cannot
  // carry, which only measures a growing queue and fails the run, they are offered half their own
  // saturation rate (`sustained`).
  'parley-pg': {
    label: 'Parley on PostgreSQL (1 node)',
    modes: ['saturation', 'sustained'],
    start: (config) => startParleyPostgres({ name: 'parley-pg', nodes: 1, agentCount: config.parleyAgents, nodeArgs: config.parleyNodeArgs }),
  },
  'parley-pg-2': {
    label: 'Parley on PostgreSQL + Redis (2 nodes)',
    modes: ['saturation', 'sustained'],
    start: (config) => startParleyPostgres({ name: 'parley-pg-2', nodes: 2, agentCount: config.parleyAgents, nodeArgs: config.parleyNodeArgs }),
  },
  // Masking on and off in the same run: `parley` masks with the defaults every brand gets (card
  // numbers and security codes); these save a masking configuration for the brand before the load.
  'parley-masking-off': {
    label: 'Parley, masking off',
    start: (config) => startParley({ agentCount: config.parleyAgents, nodeArgs: config.parleyNodeArgs, masking: MASKING_OFF }),
  },
  'parley-masking-all': {
    label: 'Parley, every detector on',
    start: (config) => startParley({ agentCount: config.parleyAgents, nodeArgs: config.parleyNodeArgs, masking: MASKING_ALL }),
  },
}
