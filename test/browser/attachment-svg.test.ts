import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser } from 'playwright-core'
import { describeWithChromium, launchChromium } from '../helpers/chromium.js'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand, type TestBrand } from '../helpers/brand.js'
import { connectVisitor } from '../helpers/delivery-chat.js'
import { callRest } from '../helpers/rest.js'
import { upload } from '../helpers/attachments.js'

// An uploaded SVG can hold script. Served by the relay (Content-Disposition: attachment, CSP
// sandbox, nosniff), it must not run: not when its download URL is opened, not in an <img> of it,
// not in an <iframe>. The script would call a tiny local server (a beacon) and change the title;
// the same SVG served plainly by that server does call it, which shows the beacon can be reached.

describeWithChromium('an uploaded SVG with a script', () => {
  let relay: TestRelay
  let brand: TestBrand
  let browser: Browser
  let beacon: Server
  let beaconUrl = ''
  const hits: string[] = []
  let svg = ''

  beforeAll(async () => {
    beacon = createServer((req, res) => {
      if (req.url === '/plain.svg') {
        res.writeHead(200, { 'content-type': 'image/svg+xml' }).end(svg)
        return
      }
      if (req.url === '/page') {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>page</title>')
        return
      }
      // Only what the SVG's script and handler ask for (not the page's favicon).
      if (['/onload', '/script', '/img'].includes(req.url ?? '')) hits.push(req.url!)
      res.writeHead(204, { 'access-control-allow-origin': '*' }).end()
    })
    await new Promise<void>((resolve) => beacon.listen(0, '127.0.0.1', resolve))
    const addr = beacon.address()
    beaconUrl = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`
    svg = `<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="fetch('${beaconUrl}/onload')">
  <script>document.title = 'ran'; fetch('${beaconUrl}/script'); new Image().src = '${beaconUrl}/img'</script>
  <rect width="10" height="10" fill="red"/>
</svg>`
    relay = await startRelay()
    brand = await createTestBrand(relay, beaconUrl)
    await callRest(relay, { method: 'PUT', url: '/v1/widget-config', token: brand.apiKey, body: { attachments: { types: ['image/svg+xml'] } } })
    browser = await launchChromium()
  })
  afterAll(async () => {
    await browser?.close()
    await relay?.close()
    await new Promise((resolve) => beacon.close(resolve))
  })

  it('runs when served plainly (the beacon works), and never from the relay: download URL, <img>, <iframe>', async () => {
    const v = await connectVisitor(relay, brand)
    const up = await upload(relay, v.token, Buffer.from(svg), { type: 'image/svg+xml', name: 'logo.svg' })
    expect(up.status, JSON.stringify(up.body)).toBe(201)
    const fileUrl = `${relay.url}/v1/attachments/${up.body.attachmentId}`

    // The control: the same file without the relay's headers runs its script.
    const control = await browser.newPage()
    await control.goto(`${beaconUrl}/plain.svg`)
    await expect.poll(() => hits.length).toBeGreaterThan(0)
    await control.close()
    hits.length = 0

    const context = await browser.newContext({ acceptDownloads: true, extraHTTPHeaders: { authorization: `Bearer ${v.token}` } })
    const page = await context.newPage()
    // Opening the URL is a download (Content-Disposition: attachment), never a document.
    const downloaded = page.waitForEvent('download')
    await page.goto(fileUrl).catch(() => {})
    expect(await (await downloaded).suggestedFilename()).toBe('logo.svg')

    // The widget's way: fetch with the token (CORS from the brand's page), a blob URL, an <img>; and an <iframe> of the URL.
    await page.goto(`${beaconUrl}/page`)
    const shown = await page.evaluate(async ({ url, token }) => {
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } })
      const blob = await res.blob()
      const img = document.createElement('img')
      img.src = URL.createObjectURL(blob)
      document.body.append(img)
      await img.decode().catch(() => {})
      const frame = document.createElement('iframe')
      frame.src = url
      document.body.append(frame)
      await new Promise((resolve) => setTimeout(resolve, 500))
      return { status: res.status, type: blob.type, width: img.naturalWidth }
    }, { url: fileUrl, token: v.token })
    expect(shown).toEqual({ status: 200, type: 'image/svg+xml', width: 10 })
    // Give any script every chance to have called home.
    await page.waitForTimeout(500)
    expect(await page.title()).toBe('page')
    expect(hits).toEqual([])
    await context.close()
  })
})
