import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { PROTOCOL_VERSION } from '@parley/sdk/contract'
import { startParley } from './parley-target.mjs'
import { openSocket, waitForFrame } from './protocols/ws-socket.mjs'
import { mapConcurrent } from './map-concurrent.mjs'
import { connectInspector, inspectorArgs } from './relay-inspector.mjs'
import { runCleanups } from './lifecycle.mjs'

// What an agent's connection costs the relay while it follows many open conversations (issue 20:
// "an agent following 3,000 open conversations costs under 50 KB per socket").
//
// Setup, as the product does it: 3,000 visitors each open a conversation with a first message and
// go away (the conversations stay open); the agent joins every one of them. Then agent sockets
// connect as the console does: hello, welcome (the first page, which the connection follows), and
// conversation.list page after page until the last (sdk/src/connection/conversation-pager.ts), so
// each socket follows all 3,000. Memory is read through the relay's inspector after a forced full
// GC, before the first agent socket and after each step of sockets; the figure is the growth
// divided by the number of sockets. The heap's objects (from a heap snapshot, compiled code apart:
// see relay-inspector.mjs) plus external memory are what the aim is judged on; heap used and RSS are
// printed too, but heap used moves with code, and RSS keeps pages the allocator holds on to.
//
// Knobs: BENCH_FOLLOW_CONVERSATIONS (3000), BENCH_FOLLOW_SOCKETS (1,10,50: cumulative steps),
// BENCH_FOLLOW_AGENTS (1: sockets are spread over this many agents, each of which joined every
// conversation), BENCH_FOLLOW_SNAPSHOTS (a directory: heap snapshots at each step, to diff),
// BENCH_FOLLOW_OBJECTS (1; 0 reads heap used instead of summing a snapshot: a snapshot costs the
// relay tens of MB of RSS, so RSS per socket means something only with 0).

const AIM_KB = 50
const SETUP_CONCURRENCY = 16
const JOIN_WINDOW = 64

/**
 * Runs the measurement on a relay of its own and resolves with the harness's result
 * { name, figure, unit, aim, pass, steps }: `figure` is what each socket after the first costs (KB of
 * heap used plus external), and `steps` has every step's figures, the first socket's included.
 */
export async function measureAgentFollow({
  conversations = numberEnv('BENCH_FOLLOW_CONVERSATIONS', 3000),
  sockets = listEnv('BENCH_FOLLOW_SOCKETS', [1, 10, 50]),
  agents = numberEnv('BENCH_FOLLOW_AGENTS', 1),
  objects = numberEnv('BENCH_FOLLOW_OBJECTS', 1) === 1,
  snapshotDir = process.env.BENCH_FOLLOW_SNAPSHOTS,
  log = (line) => process.stderr.write(`${line}\n`),
} = {}) {
  const { port, args } = await inspectorArgs()
  const target = await startParley({ agentCount: agents, nodeArgs: args, name: 'parley-agent-follow' })
  const inspector = await connectInspector(port)
  const open = []
  try {
    const convIds = Array.from({ length: conversations }, (_, i) => `follow-${i}`)
    await mapConcurrent(convIds, SETUP_CONCURRENCY, (convId) => openVisitorConversation(target, convId))
    log(`agent-follow: ${conversations} conversations opened`)
    for (const token of target.agentTokens) await joinAll(target, token, convIds)
    log(`agent-follow: ${agents} agent(s) joined every conversation`)

    // One socket follows everything and leaves before the baseline, so the code paths are compiled
    // and the caches warm: without it the baseline held ~0.5 MB that the first step then freed.
    await closeSocket(await connectFollowing(target, target.agentTokens[0], conversations))
    // The relay reads the store after a close (the agent going offline), keeping the closed session
    // reachable a moment longer.
    await new Promise((resolve) => setTimeout(resolve, 1000))
    if (snapshotDir) mkdirSync(snapshotDir, { recursive: true })
    if (snapshotDir) await inspector.snapshot(join(snapshotDir, 'before.heapsnapshot'))
    const base = await reading(inspector, objects)
    const steps = []
    for (const total of sockets) {
      while (open.length < total) {
        const token = target.agentTokens[open.length % agents]
        open.push(await connectFollowing(target, token, conversations))
      }
      const now = await reading(inspector, objects)
      if (snapshotDir) await inspector.snapshot(join(snapshotDir, `after-${total}.heapsnapshot`))
      const step = perSocket(base, now, total)
      steps.push(step)
      log(`agent-follow: ${total} socket(s) following ${conversations} each: ${step.jsKb.toFixed(1)} KB objects+external per socket (objects ${step.objectsKb.toFixed(1)}, external ${step.externalKb.toFixed(1)}; compiled code ${step.codeKb.toFixed(1)}, heap used ${step.heapUsedKb.toFixed(1)}, RSS ${step.rssKb.toFixed(1)})`)
    }
    // The first socket to follow a conversation also pays for its entry in the routing table (one
    // per conversation, whoever follows it); every further socket pays only for itself. The aim is
    // judged on the further ones, over the last step; the first socket's cost is in `steps`.
    const first = steps.find((s) => s.sockets === 1)
    const last = steps.at(-1)
    const figure = first && last.sockets > 1 ? (last.jsKb * last.sockets - first.jsKb) / (last.sockets - 1) : last.jsKb
    return {
      name: `each further agent socket following ${conversations} conversations (relay heap objects + external)`,
      figure: Math.round(figure * 10) / 10,
      unit: 'KB',
      aim: `< ${AIM_KB} KB`,
      pass: figure < AIM_KB,
      steps,
    }
  } finally {
    for (const socket of open) socket.terminate()
    inspector.close()
    await target.stop()
  }
}

// A visitor opens a conversation with its first message, as the widget does, then leaves.
async function openVisitorConversation(target, convId) {
  const visitor = await openSocket(`${target.url}?site=${encodeURIComponent(target.siteKey)}`, { origin: target.origin })
  try {
    visitor.send(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, auth: { kind: 'visitor' } }))
    await waitForFrame(visitor, (f) => f.type === 'welcome', 'visitor welcome')
    visitor.send(JSON.stringify({ type: 'message.send', convId, clientMsgId: `${convId}-1`, text: 'hello, is anyone there?' }))
    await waitForFrame(visitor, (f) => f.type === 'message.ack' && f.clientMsgId === `${convId}-1`, 'first message ack')
  } finally {
    await closeSocket(visitor)
  }
}

// The agent joins every conversation on one socket, JOIN_WINDOW joins in flight at a time.
async function joinAll(target, token, convIds) {
  const agent = await helloAgent(target, token)
  try {
    for (let i = 0; i < convIds.length; i += JOIN_WINDOW) {
      const window = convIds.slice(i, i + JOIN_WINDOW)
      const left = new Set(window)
      const done = waitForFrame(agent, (f) => f.type === 'conversation.joined' && left.delete(f.convId) && left.size === 0, `${window.length} joins`)
      for (const convId of window) agent.send(JSON.stringify({ type: 'conversation.join', convId }))
      await done
    }
  } finally {
    await closeSocket(agent)
  }
}

// Resolves once the close handshake is done, so the relay has dropped the connection before the
// baseline is read.
function closeSocket(socket) {
  return new Promise((resolve) => {
    socket.once('close', resolve)
    socket.close()
  })
}

async function helloAgent(target, token) {
  const agent = await openSocket(target.url, { origin: target.origin })
  agent.send(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, auth: { kind: 'agent', token } }))
  return Object.assign(agent, { welcome: await waitForFrame(agent, (f) => f.type === 'welcome', 'agent welcome') })
}

// An agent console's connection: welcome's page, then conversation.list to the end. Checks that it
// was listed (and so follows) every conversation.
async function connectFollowing(target, token, conversations) {
  const agent = await helloAgent(target, token)
  let listed = agent.welcome.conversations.length
  let next = agent.welcome.conversationsNext
  while (next !== undefined) {
    agent.send(JSON.stringify({ type: 'conversation.list', cursor: next }))
    const page = await waitForFrame(agent, (f) => f.type === 'conversation.listed', 'conversation.listed')
    listed += page.conversations.length
    next = page.next
  }
  if (listed !== conversations) throw new Error(`an agent socket was listed ${listed} conversations, expected ${conversations}`)
  return agent
}

async function reading(inspector, objects) {
  const usage = await inspector.memory()
  // Without snapshots, heap used stands in for the objects (compiled code included).
  return { ...usage, ...(objects ? await inspector.objectBytes() : { objects: usage.heapUsed, code: 0 }) }
}

function perSocket(base, now, sockets) {
  const kb = (field) => (now[field] - base[field]) / 1024 / sockets
  return {
    sockets,
    jsKb: kb('objects') + kb('external'),
    objectsKb: kb('objects'),
    externalKb: kb('external'),
    codeKb: kb('code'),
    heapUsedKb: kb('heapUsed'),
    rssKb: kb('rss'),
  }
}

/** What a measurement prints: its headline, then each step, one JSON object per line. */
export function formatAgentFollow(result) {
  const { steps, ...headline } = result
  return [JSON.stringify(headline), ...steps.map((s) => JSON.stringify(s))]
}

function numberEnv(name, fallback) {
  const value = process.env[name]
  return value ? Number(value) : fallback
}

function listEnv(name, fallback) {
  const value = process.env[name]
  return value ? value.split(',').map(Number) : fallback
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  measureAgentFollow().then((result) => {
    process.stdout.write(`${formatAgentFollow(result).join('\n')}\n`)
  }).catch((err) => {
    process.stderr.write(`agent-follow: ${err.stack ?? err}\n`)
    runCleanups()
    process.exitCode = 1
  })
}
