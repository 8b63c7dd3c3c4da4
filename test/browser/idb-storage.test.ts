import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { describeWithChromium, launchChromium } from '../helpers/chromium.js'
import { startDemoRelay, type DemoRelay } from '../helpers/demo-relay.js'

// The one IndexedDB adapter of the widget and the console, in real Chromium on the brand site's
// origin. Prefix reads go through a key range (the outbox costs what it holds, not what the whole
// database holds), and what an earlier widget wrote, one idb-keyval key per outbox entry, reads as is.

const ENTRY = `
  import { createStore, set } from 'idb-keyval'
  import { createIdbStorage } from ${JSON.stringify(fileURLToPath(new URL('../../widget/src/browser/idb-storage.ts', import.meta.url)))}
  window.__idb = { createIdbStorage, rawSet: (db, key, value) => set(key, value, createStore(db, 'kv')) }
`

/** The widget workspace's esbuild (a dependency of widget/ only), with the one call used here. */
const esbuild = createRequire(new URL('../../widget/package.json', import.meta.url))('esbuild') as {
  build(opts: object): Promise<{ outputFiles: { text: string }[] }>
}

describeWithChromium('IndexedDB storage adapter in Chromium', () => {
  let demo: DemoRelay
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    const built = await esbuild.build({
      stdin: { contents: ENTRY, resolveDir: fileURLToPath(new URL('../../widget/', import.meta.url)), loader: 'ts' },
      bundle: true, write: false, format: 'iife', target: ['es2022'],
    })
    demo = await startDemoRelay()
    browser = await launchChromium()
    // The demo site's CSP refuses inline scripts, as a brand's should; this page is only an origin.
    page = await (await browser.newContext({ bypassCSP: true })).newPage()
    await page.goto(`${demo.siteUrl}/`)
    await page.addScriptTag({ content: built.outputFiles[0]!.text })
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    await demo?.close()
  })

  type Idb = {
    createIdbStorage(db: string): {
      set(k: string, v: unknown): Promise<void>
      keys(p: string): Promise<string[]>
      entries(p: string): Promise<[string, unknown][]>
    }
    rawSet(db: string, key: string, value: unknown): Promise<void>
  }

  it('lists exactly the keys that start with a prefix, with their values, from a key range', async () => {
    const got = await page.evaluate(async () => {
      const s = (window as unknown as { __idb: Idb }).__idb.createIdbStorage('parley-range-test')
      for (const k of ['parley:outbox:a', 'parley:outbox:b', 'parley:outbox', 'parley:outboy:c', 'parley:history', 'parley:seq:x', 'parley:outbox:\u00e9']) await s.set(k, { k })
      return { keys: (await s.keys('parley:outbox:')).sort(), entries: (await s.entries('parley:outbox:')).map(([k, v]) => [k, (v as { k: string }).k]) }
    })
    expect(got.keys).toEqual(['parley:outbox:a', 'parley:outbox:b', 'parley:outbox:\u00e9'])
    expect(got.entries).toEqual([['parley:outbox:a', 'parley:outbox:a'], ['parley:outbox:b', 'parley:outbox:b'], ['parley:outbox:\u00e9', 'parley:outbox:\u00e9']])
  })

  it('reads an outbox an earlier widget wrote with plain idb-keyval, so an upgrade loses no queued message', async () => {
    const entry = { convId: 'c1', clientMsgId: 'm1', text: 'written before the upgrade', createdAt: 1, owner: 'old-tab' }
    const got = await page.evaluate(async (e) => {
      const idb = (window as unknown as { __idb: Idb }).__idb
      await idb.rawSet('parley-upgrade-test', `parley:outbox:${e.clientMsgId}`, e)
      await idb.rawSet('parley-upgrade-test', 'parley:history', { convId: 'c1', messages: [] })
      return idb.createIdbStorage('parley-upgrade-test').entries('parley:outbox:')
    }, entry)
    expect(got).toEqual([['parley:outbox:m1', entry]])
  })
})
