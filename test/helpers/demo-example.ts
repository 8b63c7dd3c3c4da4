import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { RelayProcess } from './relay-process.js'
import { tempDir } from './temp-dir.js'

// The examples' scripts run as their README says: `node script RELAY_URL DATA_DIR` against a relay
// process started with --demo.

const run = promisify(execFile)

/** A script's first run on its own relay, and a way to run it there again. */
export interface DemoExampleRun {
  dir: { dir: string; remove: () => void }
  relay: RelayProcess
  stdout: string
  /** Runs the script again against the same relay; resolves to its stdout. */
  again(): Promise<string>
}

/** Runs `script` against a fresh relay started with --demo; `cleanup` gets the relay's stop and the data dir's removal. */
export async function runOnDemoRelay(script: string, cleanup: (() => Promise<void> | void)[]): Promise<DemoExampleRun> {
  const dir = tempDir()
  cleanup.push(dir.remove)
  const relay = await RelayProcess.start({ dataDir: dir.dir, args: ['--demo'] })
  cleanup.push(() => relay.kill('SIGTERM').then(() => undefined))
  const again = async () => (await run(process.execPath, [script, relay.url, dir.dir], { timeout: 20_000 })).stdout
  return { dir, relay, stdout: await again(), again }
}
