import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// The README's demo tour is how a newcomer finds what Parley does: it names every SDK example script
// (each one changes what the demo shows), and it points at each part of the agent's day that
// docs/console.md describes, so none is left for the newcomer to stumble on.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const readme = readFileSync(`${ROOT}README.md`, 'utf8')

describe('the README demo tour', () => {
  it('runs every example script of examples/sdk-scripts', () => {
    const scripts = readdirSync(`${ROOT}examples/sdk-scripts`).filter((f) => f.endsWith('.mjs'))
    expect(scripts.filter((s) => !readme.includes(`node examples/sdk-scripts/${s}`))).toEqual([])
  })

  it('points at the console\'s sections on the agent\'s day', () => {
    const sections = ['automatic-routing', 'offered-chats', 'transfers', 'notifications', 'floor-view', 'attachments', 'canned-replies']
    expect(sections.filter((s) => !readme.includes(`(docs/console.md#${s})`))).toEqual([])
    expect(readme).toContain('(docs/widget.md#waiting-and-quiet-chats)')
  })
})
