import { afterAll, beforeAll } from 'vitest'
import type { Browser } from 'playwright-core'
import { launchChromium } from './chromium.js'
import { startDemoRelay, type DemoRelay } from './demo-relay.js'
import type { LiveClient } from './live-client.js'
import { connectDemoAgent } from './demo-agent.js'

// Most browser suites start the same three things: the demo relay, one Chromium, and (for the
// suites that answer as the agent) the demo agent signed in over REST with a live connection.

/** What a browser suite shares; the fields are set in its beforeAll. */
export interface DemoSuite {
  demo: DemoRelay
  browser: Browser
  /** The demo agent's live connection (only with `agent: true`). */
  agent: LiveClient
}

/**
 * Registers the calling describe's beforeAll and afterAll: starts the demo relay with `args` (and
 * the demo's surveys with `demoSurveys`), launches Chromium and, with `agent`, signs the demo agent
 * in and opens its connection; closes the three after the suite.
 */
export function demoSuite(opts: { args?: readonly string[]; agent?: boolean; demoSurveys?: boolean } = {}): DemoSuite {
  const suite = {} as DemoSuite
  beforeAll(async () => {
    suite.demo = await startDemoRelay(opts.args, { demoSurveys: opts.demoSurveys })
    suite.browser = await launchChromium()
    if (opts.agent) suite.agent = await signInAgent(suite.demo)
  }, 60_000)
  afterAll(async () => {
    await suite.agent?.conn.stop()
    await suite.browser?.close()
    await suite.demo?.close()
  })
  return suite
}

/** The demo agent, signed in over REST, with an open live connection. */
async function signInAgent(demo: DemoRelay): Promise<LiveClient> {
  return (await connectDemoAgent(demo, { email: demo.demo.agentEmail, password: demo.demo.agentPassword })).client
}
