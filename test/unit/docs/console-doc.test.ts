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
