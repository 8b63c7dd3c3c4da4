import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser, type BrowserContext } from 'playwright-core'
import { describe, it } from 'vitest'

// Real Chromium for browser tests: the system's Debian build driven by playwright-core (no browser
// downloads). In CI a missing Chromium fails the suite; in a local `npm test` the suite is skipped
// and says so.

/** Where Chromium is expected (`CHROMIUM_PATH` overrides). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** The flags every launch uses: headless, and nothing that reaches for the network on its own. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic',
]

/** Where screenshots and other browser artifacts are written (kept by CI, ignored by git). */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../../.artifacts/', import.meta.url))

/**
 * `describe` when Chromium is present; otherwise, in CI, a describe whose only test fails with the
 * reason, and locally a skipped describe with a visible message.
 */
export function describeWithChromium(name: string, body: () => void): void {
  if (existsSync(CHROMIUM_PATH)) {
    describe(name, body)
    return
  }
  const why = `Chromium not found at ${CHROMIUM_PATH} (install it with: apt-get install -y chromium, or set CHROMIUM_PATH)`
  if (process.env.CI) {
    describe(name, () => {
      it('needs Chromium', () => { throw new Error(why) })
    })
    return
  }
  process.stderr.write(`\n[browser tests skipped] ${name}: ${why}\n`)
  describe.skip(name, body)
}

/** Launches headless Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true })
}

/** The path of an artifact file, creating the folder. */
export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true })
  return join(ARTIFACTS_DIR, name)
}

/** A switch over a browser context's live sockets, so a test can make the relay unreachable and reachable again. */
export interface LiveSwitch {
  /** Closes the open sockets and refuses new ones: the relay looks unreachable while the browser is online. */
  cut(): Promise<void>
  /** Lets sockets through to the relay again. */
  restore(): void
}

/** Routes `context`'s `/v1/live` sockets through a switch (see LiveSwitch). */
export async function liveSwitch(context: BrowserContext): Promise<LiveSwitch> {
  let refuse = false
  const open: { close(): Promise<void> }[] = []
  await context.routeWebSocket(/\/v1\/live/, (ws) => {
    if (refuse) return ws.close()
    open.push(ws)
    ws.connectToServer()
  })
  return {
    async cut() {
      refuse = true
      for (const ws of open.splice(0)) await ws.close()
    },
    restore() { refuse = false },
  }
}
