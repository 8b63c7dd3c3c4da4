import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { artifactPath, describeWithChromium, launchChromium } from '../helpers/chromium.js'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestAgent, type TestBrand } from '../helpers/brand.js'
import { seedReportChats, type SeedChat } from '../helpers/report-seed.js'
import { until } from '../helpers/until.js'
import { signInAs } from '../helpers/console-page.js'

// The console's Reports view over a month of chats, as the README shows it: the totals it
// prints are the ones seeded, every figure is drawn, and the view is saved as console-reports.png
// in the test artifacts (docs/images/reports.png is a copy of it).

const WIDGET_DIST = fileURLToPath(new URL('../../widget/dist', import.meta.url))
const DAY = 86_400_000
const TOPICS = ['billing', 'orders', 'orders', 'other']

/** A month of chats, the same on every run: a few a day, most answered and rated, some offline. */
function threeWeeks(agents: readonly string[]): SeedChat[] {
  const chats: SeedChat[] = []
  for (let d = 29; d >= 0; d--) {
    const day = new Date(Date.now() - d * DAY).toISOString().slice(0, 10)
    const count = 3 + ((d * 7) % 5)
    for (let i = 0; i < count; i++) {
      const n = d * 11 + i * 5
      if (i === count - 1 && d % 3 === 0) { chats.push({ day, time: '00:00', offline: true, topic: 'other', closed: true }); continue }
      chats.push({
        day, time: '00:00', agent: agents[n % agents.length]!, replyAfterSec: 20 + (n % 9) * 15, topic: TOPICS[n % TOPICS.length]!,
        closed: true, ...(n % 4 === 3 ? {} : { post: { csat: 3 + (n % 3 === 0 ? 0 : n % 5 === 0 ? -1 : 1) + (n % 7 === 0 ? 1 : 0), nps: [10, 9, 8, 9, 6, 10, 7][n % 7]! } }),
      })
    }
  }
  return chats
}

describeWithChromium('the Reports view the README shows', () => {
  let relay: TestRelay
  let browser: Browser
  let brand: TestBrand
  let agent: TestAgent
  let seeded: SeedChat[]

  beforeAll(async () => {
    relay = await startRelay({ widgetDir: WIDGET_DIST })
    brand = await createTestBrand(relay)
    agent = await createTestAgent(relay, brand.brandId, 'Dana')
    const ben = await createTestAgent(relay, brand.brandId, 'Ben')
    seeded = threeWeeks([agent.agentId, ben.agentId])
    await seedReportChats(relay.deps.store, brand.brandId, seeded)
    browser = await launchChromium()
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await relay?.close()
  })

  it('charts a month of chats with the totals seeded', async () => {
    const page = await (await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 1000 } })).newPage()
    await signInAs(page, `${relay.url}/console?brand=${brand.brandId}`, agent)
    await page.getByRole('button', { name: 'Reports' }).click()
    const totals = page.getByRole('table', { name: 'Totals for the period' })
    await totals.waitFor()
    const head = await totals.locator('th').allInnerTexts()
    const cells = await totals.locator('tbody td').allInnerTexts()
    const row = Object.fromEntries(head.map((h, i) => [h, cells[i]]))
    expect(row['Chats']).toBe(String(seeded.length))
    expect(row['Offline messages']).toBe(String(seeded.filter((c) => c.offline).length))
    await until(async () => (await page.locator('.report-figure canvas').count()) === 6, 'every figure drawn')
    await page.screenshot({ path: artifactPath('console-reports.png') })
  })
})
