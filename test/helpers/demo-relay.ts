import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { RelayProcess } from './relay-process.js'
import { freePortPair } from './free-port.js'
import { tempDir } from './temp-dir.js'

// The demo as `npm start` runs it (relay + console + demo brand site on the next port), as its own
// process on a fixed port so it can be killed with SIGKILL and come back at the same address: the
// page keeps the script URL and the widget reconnects to it.

/** The demo brand's credentials, as the relay writes them to its data dir. */
export interface DemoCredentials {
  brandId: string
  siteKey: string
  apiKey: string
  agentEmail: string
  agentPassword: string
}

/** A running demo relay. */
export interface DemoRelay {
  relay: RelayProcess
  /** http://127.0.0.1:PORT (relay, /console, /parley.js) */
  url: string
  /** http://127.0.0.1:PORT+1 (the demo brand's site) */
  siteUrl: string
  /** The console's address, with the demo brand preselected. */
  consoleUrl: string
  demo: DemoCredentials
  /** The relay's data dir (its token secret is `secret.key` there). */
  dataDir: string
  /** SIGKILLs the relay, runs `whileDown` (if given) while it is gone, then starts it again on the same port and data dir. */
  restart(whileDown?: () => Promise<void>): Promise<void>
  close(): Promise<void>
}

/**
 * Starts `parley start --demo` on two fresh consecutive ports and a temp data dir; `extraArgs` go to
 * the relay (e.g. a limit). The demo brand gets no deployment rules unless `demoRules` is set, so a
 * suite sees the plain chat button whatever the time of day and whoever is signed in; and no surveys
 * unless `demoSurveys` is set, so a suite's first message opens the chat without a form.
 */
export async function startDemoRelay(extraArgs: readonly string[] = [], opts: { demoRules?: boolean; demoSurveys?: boolean } = {}): Promise<DemoRelay> {
  const { dir, remove } = tempDir()
  const port = await freePortPair()
  const options = { dataDir: dir, args: ['--demo', '--port', String(port), ...(opts.demoRules ? [] : ['--no-demo-rules']), ...(opts.demoSurveys ? [] : ['--no-demo-surveys']), ...extraArgs] }
  // With --demo, start() resolves once the demo site listens: the credentials are on disk by then.
  const state = { relay: await RelayProcess.start(options) }
  const demo = JSON.parse(readFileSync(join(dir, 'demo.json'), 'utf8')) as DemoCredentials
  const url = `http://127.0.0.1:${port}`
  return {
    get relay() { return state.relay },
    url,
    siteUrl: `http://127.0.0.1:${port + 1}`,
    consoleUrl: `${url}/console?brand=${demo.brandId}`,
    demo,
    dataDir: dir,
    async restart(whileDown) {
      await state.relay.kill('SIGKILL')
      await whileDown?.()
      state.relay = await RelayProcess.start(options)
    },
    async close() {
      await state.relay.kill('SIGTERM')
      remove()
    },
  }
}
