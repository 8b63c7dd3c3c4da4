import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { describeWithChromium, launchChromium } from '../helpers/chromium.js'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestAgent, createTestBrand, type TestAgent, type TestBrand } from '../helpers/brand.js'
import { seedReportChats } from '../helpers/report-seed.js'
import { seriousViolations } from '../helpers/axe.js'
import { until } from '../helpers/until.js'
import { signInAs } from '../helpers/console-page.js'

// The console's Reports view in Chromium, on a brand with post-chat answers today: the figures the
// relay computed are in the view's tables (where a screen reader reads them), per day and per agent,
// and axe finds no serious violation in the view.

const WIDGET_DIST = fileURLToPath(new URL('../../widget/dist', import.meta.url))
const DAY = 86_400_000

describeWithChromium('console Reports view in Chromium', () => {
  let relay: TestRelay
  let browser: Browser
  let ctx: BrowserContext
  let brand: TestBrand
  let agent: TestAgent
  const today = new Date().toISOString().slice(0, 10)
  const yesterday = new Date(Date.now() - DAY).toISOString().slice(0, 10)

  beforeAll(async () => {
    relay = await startRelay({ widgetDir: WIDGET_DIST })
    brand = await createTestBrand(relay)
    agent = await createTestAgent(relay, brand.brandId, 'Alice Report')
    // Opened at 00:00 UTC today: never in the future, whenever the test runs.
    await seedReportChats(relay.deps.store, brand.brandId, [
      { day: today, time: '00:00', agent: agent.agentId, replyAfterSec: 30, closed: true, post: { csat: 5, nps: 10 } },
      { day: today, time: '00:00', agent: agent.agentId, replyAfterSec: 90, closed: true, post: { csat: 3, nps: 6 } },
      { day: yesterday, offline: true },
    ])
    browser = await launchChromium()
    // The console's own Content-Security-Policy applies: uPlot must draw under it.
    ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } })
  }, 60_000)
  afterAll(async () => {
    await ctx?.close()
    await browser?.close()
    await relay?.close()
  })

  async function openReports(context = ctx): Promise<Page> {
    const page = await context.newPage()
    await signInAs(page, `${relay.url}/console?brand=${brand.brandId}`, agent)
    await page.getByRole('button', { name: 'Reports' }).click()
    await page.getByRole('table', { name: 'Totals for the period' }).waitFor()
    return page
  }

  /** Opens the "Show table" disclosure of the chart titled `chart`. */
  async function showTable(page: Page, chart: string): Promise<void> {
    await page.getByRole('figure', { name: chart }).locator('summary').click()
    await page.getByRole('table', { name: `${chart}: the numbers` }).waitFor()
  }

  /** The cells of the row headed `rowHeader` in the table named `table`. */
  async function rowCells(page: Page, table: string, rowHeader: string): Promise<string[]> {
    const row = page.getByRole('table', { name: table }).getByRole('row').filter({ has: page.getByRole('rowheader', { name: rowHeader, exact: true }) })
    return row.getByRole('cell').allInnerTexts()
  }

  /**
   * The rightmost run of bar-coloured pixels of the chart titled `chart` at half the plot's height
   * (today's 2 chats reach it; the empty days do not), in page pixels, with the plot's right edge,
   * the canvas's right edge and the right edge of the figure's content box; null before it is drawn.
   */
  async function barExtent(page: Page, chart: string) {
    return page.getByRole('figure', { name: chart }).evaluate((fig) => {
      const canvas = fig.querySelector('canvas')
      const over = fig.querySelector('.u-over')
      if (!canvas || !over) return null
      const box = canvas.getBoundingClientRect()
      const plot = over.getBoundingClientRect()
      const scale = canvas.width / box.width
      const y = Math.round((plot.top + plot.height / 2 - box.top) * scale)
      const px = canvas.getContext('2d')!.getImageData(0, y, canvas.width, 1).data
      const bar = (x: number) => px[x * 4] === 0x24 && px[x * 4 + 1] === 0x56 && px[x * 4 + 2] === 0xa6
      let end = canvas.width - 1
      while (end >= 0 && !bar(end)) end--
      if (end < 0) return null
      let start = end
      while (start > 0 && bar(start - 1)) start--
      const style = getComputedStyle(fig)
      const boxRight = fig.getBoundingClientRect().left + fig.clientLeft + fig.clientWidth - parseFloat(style.paddingRight)
      return {
        right: box.left + (end + 1) / scale, width: (end + 1 - start) / scale,
        plotRight: plot.right, canvasRight: box.right, boxRight,
      }
    })
  }

  it('shows the period\'s totals and each day\'s CSAT, NPS and first response in tables', async () => {
    const page = await openReports()
    // The per-day tables are behind "Show table" disclosures, each named after its chart.
    expect(await page.getByRole('table', { name: 'NPS per day: the numbers' }).count()).toBe(0)
    for (const chart of ['CSAT average per day', 'CSAT distribution', 'NPS per day', 'Chats per day', 'Median first response per day']) await showTable(page, chart)
    expect(await page.getByRole('table', { name: 'Totals for the period' }).getByRole('cell').allInnerTexts())
      .toEqual(['3', '1', '100 %', '4', '0', '60 s'])
    expect(await rowCells(page, 'CSAT average per day: the numbers', today)).toEqual(['4', '2', '0', '0', '1', '0', '1'])
    expect(await rowCells(page, 'NPS per day: the numbers', today)).toEqual(['0', '1', '0', '1'])
    expect(await rowCells(page, 'Chats per day: the numbers', yesterday)).toEqual(['1', '1'])
    expect(await rowCells(page, 'Median first response per day: the numbers', today)).toEqual(['60 s', '60 s', '2'])
    expect(await rowCells(page, 'CSAT distribution: the numbers', '5')).toEqual(['1'])
    // Each figure is drawn too: uPlot's canvas beside its table.
    expect(await page.locator('.report-figure canvas').count()).toBe(6)
    await page.close()
  })

  it('keeps every chart\'s table behind its disclosure, the CSAT distribution\'s too', async () => {
    const page = await openReports()
    await until(async () => (await page.locator('.report-figure').count()) === 6, 'six figures')
    expect(await page.locator('.report-figure details.report-numbers:not([open])').count()).toBe(6)
    expect(await page.getByRole('table', { name: 'CSAT distribution: the numbers' }).count()).toBe(0)
    await showTable(page, 'CSAT distribution')
    expect(await rowCells(page, 'CSAT distribution: the numbers', '3')).toEqual(['1'])
    await page.close()
  })

  it('names each disclosure "Show table:" and its chart, with no space before the colon', async () => {
    const page = await openReports()
    await until(async () => (await page.locator('.report-figure').count()) === 6, 'six figures')
    // The name Chromium gives assistive technology, read from its accessibility tree.
    const cdp = await page.context().newCDPSession(page)
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { role?: { value?: unknown }; name?: { value?: unknown } }[] }
    const names = nodes.filter((n) => n.role?.value === 'DisclosureTriangle').map((n) => n.name?.value)
    expect(names).toEqual(['CSAT average per day', 'CSAT distribution', 'NPS per day', 'Response rate per day', 'Chats per day', 'Median first response per day'].map((c) => `Show table: ${c}`))
    await page.close()
  })

  it('groups by agent, with every figure in its own "All figures by agent" table', async () => {
    const page = await openReports()
    await page.getByLabel('Group by').selectOption('agent')
    const section = page.getByRole('region', { name: 'All figures by agent' })
    await section.waitFor()
    // Named in the headings beside the charts', and folded like their tables.
    expect(await page.getByRole('heading', { level: 3 }).allInnerTexts()).toEqual(['Chats per agent', 'CSAT average per agent', 'All figures by agent'])
    expect(await page.getByRole('table', { name: 'All figures by agent' }).count()).toBe(0)
    await section.locator('summary').click()
    const table = page.getByRole('table', { name: 'All figures by agent' })
    expect(await table.getByRole('columnheader').allInnerTexts()).toEqual([
      'Agent', 'Chats', 'Offline messages', 'Response rate', 'CSAT average', 'CSAT answers', 'NPS', 'Promoters', 'Passives', 'Detractors', 'Median first response',
    ])
    expect(await rowCells(page, 'All figures by agent', 'Alice Report')).toEqual(['2', '0', '100 %', '4', '2', '0', '1', '0', '1', '60 s'])
    expect(await rowCells(page, 'All figures by agent', 'Unassigned')).toEqual(['1', '1', '–', '–', '0', '–', '0', '0', '0', '–'])
    await page.close()
  })

  it('gives the chats per agent chart a table of its own numbers only', async () => {
    const page = await openReports()
    await page.getByLabel('Group by').selectOption('agent')
    await page.getByRole('figure', { name: 'Chats per agent' }).waitFor()
    await showTable(page, 'Chats per agent')
    expect(await rowCells(page, 'Chats per agent: the numbers', 'Alice Report')).toEqual(['2', '0'])
    expect(await rowCells(page, 'Chats per agent: the numbers', 'Unassigned')).toEqual(['1', '1'])
    await page.close()
  })

  it('draws today\'s bar of 30 days whole, further from the plot\'s right edge than half its width', async () => {
    const page = await openReports()
    const chart = page.getByRole('figure', { name: 'Chats per day' })
    await chart.locator('canvas').waitFor()
    await until(async () => (await barExtent(page, 'Chats per day')) !== null, 'today\'s bar drawn')
    const bar = (await barExtent(page, 'Chats per day'))!
    // Today (2 chats) is the last and highest bar: the drawn pixels furthest right.
    expect(bar.right).toBeLessThanOrEqual(bar.plotRight)
    expect(bar.plotRight - bar.right).toBeGreaterThanOrEqual(bar.width / 2)
    // And the figure shows the whole canvas: nothing is scrolled out of sight at its right.
    expect(bar.canvasRight).toBeLessThanOrEqual(bar.boxRight)
    await page.close()
  })

  it('narrows the chart with its figure, so a narrower window cuts no bar off', async () => {
    const page = await openReports()
    await until(async () => (await barExtent(page, 'Chats per day')) !== null, 'today\'s bar drawn')
    // At 1400 pixels the chart is 640 wide; at 560 its figure's content box is narrower than that.
    await page.setViewportSize({ width: 560, height: 900 })
    await until(async () => {
      const bar = await barExtent(page, 'Chats per day')
      return bar !== null && bar.canvasRight <= bar.boxRight
    }, 'the chart redrawn inside its figure')
    const bar = (await barExtent(page, 'Chats per day'))!
    expect(bar.plotRight - bar.right).toBeGreaterThanOrEqual(bar.width / 2)
    await page.close()
  })

  it('finds no serious accessibility violation in the Reports view', async () => {
    // axe is injected as an inline script, which the console's policy refuses.
    const axeCtx = await browser.newContext({ bypassCSP: true, viewport: { width: 1400, height: 900 } })
    const page = await openReports(axeCtx)
    await until(async () => (await page.locator('.report-figure canvas').count()) === 6, 'charts drawn')
    // With every table shown too.
    for (const summary of await page.locator('details.report-numbers summary').all()) await summary.click()
    expect(await seriousViolations(page)).toEqual([])
    await axeCtx.close()
  })
})
