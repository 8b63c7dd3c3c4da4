import type { Browser, BrowserContext, Page } from 'playwright-core'
import { until } from './until.js'

// What browser tests do to the consumer widget on a brand's page, written once.

/** The widget's shadow host on a brand page. */
function widgetOn(page: Page) {
  return page.locator('parley-chat')
}

/**
 * A new visitor (in a browser context of their own, pushed onto `contexts` for the suite to close)
 * on the brand page at `siteUrl` who opened the chat and sent `text`, shown as "Sent".
 */
export async function visitorWriting(browser: Browser, siteUrl: string, text: string, contexts: BrowserContext[]): Promise<Page> {
  const context = await browser.newContext()
  contexts.push(context)
  const page = await context.newPage()
  await page.goto(`${siteUrl}/`)
  await widgetOn(page).getByRole('button', { name: 'Open chat' }).click()
  await sendInWidget(page, text)
  return page
}

/** Types `text` in the widget, sends it with Enter, and waits until the widget shows it as "Sent". */
export async function sendInWidget(page: Page, text: string): Promise<void> {
  const box = widgetOn(page).getByRole('textbox', { name: 'Message' })
  await box.fill(text)
  await box.press('Enter')
  await until(async () => (await widgetOn(page).locator('li.me').filter({ hasText: text }).locator('.s').allInnerTexts()).includes('Sent'), `"${text}" sent`, 15_000)
}

/**
 * How many entries the widget's outbox holds in the browser: unsent messages, and acked ones held
 * until a saved history shows them (released just after the save, so a test that drops the history
 * waits for this to reach 0 first, or the next page restores the held message as current).
 */
export function outboxSize(page: Page, siteKey: string): Promise<number> {
  return page.evaluate((db) => new Promise<number>((resolve, reject) => {
    const open = indexedDB.open(db)
    open.onsuccess = () => {
      const req = open.result.transaction('kv', 'readonly').objectStore('kv').getAllKeys()
      req.onsuccess = () => resolve(req.result.filter((k) => String(k).includes('outbox:')).length)
      req.onerror = () => reject(req.error)
    }
  }), `parley-${siteKey}`)
}

/**
 * Deletes everything the widget keeps in the browser but the visitor's token (saved history,
 * outbox, resume cursors): a browser that lost its history, whose earlier conversations can only
 * come from the relay. Done from a page of the brand's origin without the widget, as below.
 */
export async function forgetAllButToken(page: Page, siteUrl: string, siteKey: string): Promise<void> {
  await page.goto(`${siteUrl}/no-widget-here`)
  await page.evaluate((db) => new Promise<void>((resolve, reject) => {
    const open = indexedDB.open(db)
    open.onsuccess = () => {
      const tx = open.result.transaction('kv', 'readwrite')
      const store = tx.objectStore('kv')
      const keys = store.getAllKeys()
      keys.onsuccess = () => { for (const k of keys.result) if (!String(k).endsWith('token')) store.delete(k) }
      tx.oncomplete = () => resolve()
      tx.onerror = () => reject(tx.error)
    }
  }), `parley-${siteKey}`)
}

/**
 * Deletes the widget's saved history (the outbox, cursors and token stay), from a page of the
 * brand's origin without the widget, so no pending save of the widget writes it back.
 */
export async function forgetSavedHistory(page: Page, siteUrl: string, siteKey: string): Promise<void> {
  await page.goto(`${siteUrl}/no-widget-here`)
  await page.evaluate((db) => new Promise<void>((resolve, reject) => {
    const open = indexedDB.open(db)
    open.onsuccess = () => {
      const tx = open.result.transaction('kv', 'readwrite')
      tx.objectStore('kv').delete('parley:history')
      tx.oncomplete = () => resolve()
      tx.onerror = () => reject(tx.error)
    }
  }), `parley-${siteKey}`)
}

/** The visitor's and the agent's lines in the widget's transcript, in order. */
export function chatLines(page: Page): Promise<string[]> {
  return widgetOn(page).locator('[role=log] li.me .u, [role=log] li.them .u').allInnerTexts()
}

/** Calls the brand page's `Parley(...args)` command queue, as the brand's own script would. */
export async function callParley(page: Page, ...args: unknown[]): Promise<void> {
  await page.evaluate((a) => (window as unknown as { Parley: (...x: unknown[]) => void }).Parley(...a), args)
}
