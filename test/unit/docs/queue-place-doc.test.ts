import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { queuePlaces } from '../../../server/src/waiting/queue-places.js'

// docs/protocol.md, "The waiting visitor", explains which chats ahead count toward a visitor's place
// with an example queue: the relay's own queuePlaces gives the positions the example shows.

const page = readFileSync(fileURLToPath(new URL('../../../docs/protocol.md', import.meta.url)), 'utf8')
const section = page.split('\n## The waiting visitor\n')[1]!.split('\n## ')[0]!

describe('the queue place example in docs/protocol.md', () => {
  it('shows the positions the relay computes', () => {
    const rows = [...section.matchAll(/^\s*\| (\d+)(?:st|nd|rd|th) \| (`[a-z]+`|no skill) \| (\d+) \|$/gm)]
    expect(rows.length).toBeGreaterThanOrEqual(4)
    const queue = rows.map((r) => ({ convId: `c${r[1]}`, visitorId: `v${r[1]}`, skill: r[2] === 'no skill' ? null : r[2]!.slice(1, -1) }))
    const places = queuePlaces(queue, { waitsMs: [], windowMs: 0 })
    expect(rows.map((r) => places.get(`c${r[1]}`)!.position)).toEqual(rows.map((r) => Number(r[3])))
  })

  it('does not say two different things about chats needing no skill', () => {
    expect(section).not.toMatch(/counts for everyone/)
  })
})
