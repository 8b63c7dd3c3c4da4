import { fileURLToPath } from 'node:url'
import { spawnNode, stopChild } from './child.mjs'

// Starts one of the storage-less baseline relays in its own process. Each prints
// {"event":"listening","url"} once it accepts connections.

const BASELINES = {
  'raw-ws': { label: 'raw ws (no storage)', script: './baselines/raw-ws-relay.mjs', protocol: 'raw-ws' },
  'socketio': { label: 'Socket.IO 4 (no storage)', script: './baselines/socketio-relay.mjs', protocol: 'socketio' },
}

/** Names of the baselines this module can start. */
export const BASELINE_NAMES = Object.keys(BASELINES)

/** Starts baseline `name`; resolves with the target description the loadgen needs, plus `stop()`. */
export async function startBaseline(name) {
  const spec = BASELINES[name]
  const child = spawnNode(name, [fileURLToPath(new URL(spec.script, import.meta.url))])
  const { url } = await child.waitForJson((line) => line.event === 'listening', 10_000)
  return {
    name, label: spec.label, protocol: spec.protocol, url, pid: child.pid,
    stop: () => stopChild(child),
    notes: () => [],
  }
}
