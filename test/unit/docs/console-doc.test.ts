import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { NO_FILTERS, transcriptQuery } from '../../../widget/src/console/transcript-query.js'

// docs/console.md is read top to bottom by a new agent: where it points at the REST filters it says
// what their values are, with an example the console's own query code produces.

const page = readFileSync(fileURLToPath(new URL('../../../docs/console.md', import.meta.url)), 'utf8')
const flat = page.replace(/\s+/g, ' ')

describe('docs/console.md', () => {
  const tz = process.env.TZ
  afterEach(() => { if (tz === undefined) delete process.env.TZ; else process.env.TZ = tz })

  it('says the REST from/to are instants in ms, with the query the console sends for two days', () => {
    expect(flat).toMatch(/`from` and `to` are not days but instants in milliseconds since the epoch, `to` excluded/)
    const m = /\*\*Opened from\*\* (\d{4}-\d{2}-\d{2}) and \*\*to\*\* (\d{4}-\d{2}-\d{2}) .*?\(in Paris, `(from=\d+&to=\d+)`\)/.exec(flat)!
    process.env.TZ = 'Europe/Paris'
    const q = transcriptQuery({ ...NO_FILTERS, from: m[1]!, to: m[2]! })
    expect(`from=${q.get('from')}&to=${q.get('to')}`).toBe(m[3])
  })
})

describe('where docs describe the visitor\'s place in line', () => {
  const widget = readFileSync(fileURLToPath(new URL('../../../docs/widget.md', import.meta.url)), 'utf8').replace(/\s+/g, ' ')
  const waiting = widget.split('## Waiting and quiet chats')[1]!.split(' ## ')[0]!
  const place = /- \*\*The visitor's place in line\.\*\*(.*?) - \*\*/.exec(flat)?.[1] ?? ''

  it('say a visitor who comes while no agent has room gets the offline form, not a place', () => {
    for (const [name, text] of [['console.md', place], ['widget.md', waiting]] as const) {
      expect(text, name).toMatch(/holds as many chats as their capacity/)
      expect(text, name).toMatch(/gets the offline form instead/)
      expect(text, name).toContain('(rules.md#the-demos-rule-set)')
    }
  })
})

describe('docs/console.md as one page', () => {
  const SRC = fileURLToPath(new URL('../../../widget/src/console/', import.meta.url))

  it('lists every frame the console sends under "Building your own"', () => {
    const building = page.split('\n## Building your own\n')[1]!
    const code = ['controller.ts', 'views/app.tsx'].map((f) => { try { return readFileSync(SRC + f, 'utf8') } catch { return '' } }).join('\n')
    const sent = new Set([...code.matchAll(/type: (?:how === 'accept' \? )?'([a-z]+\.[a-z.]+)'(?: : '([a-z]+\.[a-z.]+)')?/g)].flatMap((m) => [m[1]!, m[2]].filter(Boolean) as string[]))
    expect(sent.size).toBeGreaterThan(5)
    for (const frame of sent) expect(building, frame).toContain(`\`${frame}\``)
    expect(building).not.toContain('`conversation.assign`')
  })

  it('names the supervisor\'s view as its section does, and starts every section on a line of its own', () => {
    expect(page).not.toMatch(/supervisor view/i)
    expect(page.split('\n').map((l, i, all) => (l.startsWith('## ') && all[i - 1] !== '' ? l : null)).filter(Boolean)).toEqual([])
  })
})
