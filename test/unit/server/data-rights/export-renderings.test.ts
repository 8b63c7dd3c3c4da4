import { describe, expect, it } from 'vitest'
import { Value } from '@sinclair/typebox/value'
import { VisitorExport } from '@parley/sdk/contract'
import type { ExportPart } from '../../../../server/src/data-rights/export-walk.js'
import { renderExportJson } from '../../../../server/src/data-rights/export-json.js'
import { renderExportHtml } from '../../../../server/src/data-rights/export-html.js'
import { renderExportText } from '../../../../server/src/data-rights/export-text.js'

// The three renderings of an export walk, fed a walk by hand: hostile text in every field a person
// typed (message, name, contact, context, answer, label, consent text, file name) is shown escaped
// in the page and never becomes markup; the JSON is the documented document for any number of
// conversations and message pages.

const HOSTILE = `<img src=x onerror="alert('x')">&amp;`
const T = Date.UTC(2026, 11, 5, 14, 3, 9)

function* walk(conversations: number, pages: number): Generator<ExportPart> {
  yield {
    kind: 'head',
    head: {
      format: 'parley.visitor-export', version: 1, brandId: 'b_1', exportedAt: T, selector: 'email',
      customer: { customerId: HOSTILE, name: HOSTILE, email: 'ada@example.com' },
      visitors: [{ visitorId: 'v_1', createdAt: T, lastSeenAt: T, visitCount: 2, context: { url: HOSTILE, values: { plan: HOSTILE } }, consent: null }],
    },
  }
  yield { kind: 'consent', events: [{ visitorId: 'v_1', at: T, state: 'denied', source: 'widget' }] }
  for (let c = 0; c < conversations; c++) {
    yield {
      kind: 'conversation',
      conversation: {
        convId: `c_${c}`, visitorId: 'v_1', status: 'closed', origin: 'chat', createdAt: T, closedAt: T, contact: { name: HOSTILE, email: 'ada@example.com' },
        context: { title: HOSTILE }, routing: { topic: 'sales' }, erasedAt: null,
      },
    }
    for (let p = 0; p < pages; p++) {
      yield { kind: 'messages', messages: [
        { seq: p * 2 + 1, from: 'visitor', name: HOSTILE, text: `${HOSTILE}\nsecond line`, at: T, attachments: [{ name: `${HOSTILE}.png`, type: 'image/png', size: 10 }] },
        { seq: p * 2 + 2, from: 'agent', name: 'Grace', text: 'Hello', at: T },
      ] }
    }
    yield { kind: 'responses', responses: [{ surveyId: 'intake', kind: 'pre', at: T, answers: { note: HOSTILE, topic: 'sales' }, labels: { note: HOSTILE }, consents: { ok: HOSTILE } }] }
  }
}

async function render(r: (parts: AsyncIterable<ExportPart>) => AsyncGenerator<string>, parts: Iterable<ExportPart>): Promise<string> {
  async function* from() { yield* parts }
  let out = ''
  for await (const chunk of r(from())) out += chunk
  return out
}

describe('export renderings', () => {
  it('writes the documented JSON document for none, one and several conversations and pages', async () => {
    for (const [conversations, pages] of [[0, 0], [1, 0], [1, 1], [3, 2]] as const) {
      const doc = JSON.parse(await render(renderExportJson, walk(conversations, pages))) as VisitorExport
      expect([...Value.Errors(VisitorExport, doc)].map((e) => `${e.path} ${e.message}`), `${conversations}×${pages}`).toEqual([])
      expect(doc.conversations).toHaveLength(conversations)
      for (const c of doc.conversations) expect(c.messages.map((m) => m.seq)).toEqual(Array.from({ length: pages * 2 }, (_, i) => i + 1))
    }
  })

  it('escapes every typed value in the HTML page, so none of it becomes markup', async () => {
    const html = await render(renderExportHtml, walk(2, 2))
    expect(html).not.toContain('<img')
    expect(html).not.toContain('onerror="')
    expect(html.match(/&lt;img src=x onerror=&quot;alert\(&#39;x&#39;\)&quot;&gt;&amp;amp;/g)!.length).toBeGreaterThanOrEqual(12)
    // Only the page's own elements remain.
    const tags = new Set([...html.matchAll(/<\/?([a-z0-9!]+)/gi)].map((m) => m[1]!.toLowerCase()))
    expect([...tags].sort()).toEqual(['!doctype', 'body', 'dd', 'div', 'dl', 'dt', 'h1', 'h2', 'h3', 'h4', 'head', 'html', 'li', 'meta', 'ol', 'p', 'section', 'span', 'style', 'time', 'title'])
    expect(html).toContain('Found by e-mail address.')
    expect(html).toContain('2026-12-05 14:03:09 UTC')
  })

  it('indents every line of a message in the text, so no line of it passes for a sender line', async () => {
    const text = await render(renderExportText, walk(1, 1))
    expect(text).toContain(`  2026-12-05 14:03:09 UTC  ${HOSTILE} (visitor)\n    ${HOSTILE}\n    second line\n    [files: ${HOSTILE}.png (image/png, 10 bytes)]\n`)
    expect(text).toContain(`Before the chat (intake), 2026-12-05 14:03:09 UTC\n    ${HOSTILE}: ${HOSTILE}\n    topic: sales\n    agreed to: ${HOSTILE}\n`)
    expect(text).toContain('2026-12-05 14:03:09 UTC: denied (widget), visitor v_1')
  })
})
