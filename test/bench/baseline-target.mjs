import { fileURLToPath } from 'node:url'
import { spawnNode, stopChild } from './child.mjs'
import { describeEarlyExit } from './early-exit.mjs'

// Starts one of the storage-less baseline relays in its own process. Each prints
// {"event":"listening","url"} once it accepts connections.

const BASELINES = {
  // Acks only, delivers nothing (delivers: false tells the loadgen not to wait for deliveries).
  'ceiling': { script: './baselines/null-relay.mjs', protocol: 'raw-ws', delivers: false },
  'raw-ws': { script: './baselines/raw-ws-relay.mjs', protocol: 'raw-ws' },
  'socketio': { script: './baselines/socketio-relay.mjs', protocol: 'socketio' },
  'ws-sqlite': { script: './baselines/ws-sqlite-relay.mjs', protocol: 'raw-ws' },
}

/**
 * Starts baseline `name` (`nodeArgs` before the script, e.g. an inspector flag); resolves with the
 * target description the loadgen needs, plus `stop()`.
 */
export async function startBaseline(name, { nodeArgs = [] } = {}) {
  const spec = BASELINES[name]
  const child = spawnNode(name, [...nodeArgs, fileURLToPath(new URL(spec.script, import.meta.url))])
  const { url } = await child.waitForJson((line) => line.event === 'listening', 10_000)
  let stopping = false
  return {
    name, protocol: spec.protocol, url, pid: child.pid, delivers: spec.delivers !== false,
    stop() {
      stopping = true
      return stopChild(child)
    },
    notes: () => (stopping ? [] : describeEarlyExit(child)),
  }
}
