import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { Parley } from '@parley/sdk'
import { runOnDemoRelay } from '../helpers/demo-example.js'

// examples/sdk-scripts/data-rights.mjs is documentation that must run: against a real relay process
// started with --demo, a scripted visitor chats and leaves the offline form, and the script exports
// them by e-mail (JSON and an HTML file), corrects the address, finds them by the new one only, and
// erases them. It prints what its README section says, line for line.

const SCRIPT = fileURLToPath(new URL('../../examples/sdk-scripts/data-rights.mjs', import.meta.url))

/** A README line as a pattern: an id shortened with … stands for any id, a date for any date. */
function linePattern(line: string): RegExp {
  const escaped = line.split(/[A-Za-z0-9_]*…/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\S+')
  return new RegExp(`^${escaped.replace(/\d{4}-\d{2}-\d{2}/g, '\\d{4}-\\d{2}-\\d{2}')}$`)
}

describe('examples/sdk-scripts/data-rights.mjs', () => {
  const cleanup: (() => Promise<void> | void)[] = []
  afterEach(async () => { for (const c of cleanup.splice(0).reverse()) await c() })

  it('exports a demo visitor by e-mail, corrects the address, erases them, and prints its README output', async () => {
    const { stdout, dir, relay, again } = await runOnDemoRelay(SCRIPT, cleanup)
    const readme = readFileSync(fileURLToPath(new URL('../../examples/sdk-scripts/README.md', import.meta.url)), 'utf8')
    const section = readme.slice(readme.indexOf('## data-rights.mjs'))
    const expected = section.slice(section.indexOf('Expected output')).split('```\n')[1]!.trimEnd().split('\n')
    const lines = stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(expected.length)
    expected.forEach((line, i) => expect(lines[i]).toMatch(linePattern(line)))
    // The visitor it printed is the one the export found, and the audit log holds the export.
    const visitorId = /^visitor (\S+) chatted/.exec(stdout)![1]
    expect(stdout).toContain(`visitor ${visitorId}, 2 conversations`)
    const demo = JSON.parse(readFileSync(join(dir.dir, 'demo.json'), 'utf8')) as { apiKey: string }
    const parley = new Parley({ relay: relay.url, apiKey: demo.apiKey })
    const exports = await parley.audit.list({ action: 'data.export', limit: 10 }).toArray(10)
    expect(exports.map((e) => e.detail.selector)).toEqual(['visitorId', 'email', 'email', 'email'])
    // Each run makes a visitor of its own: a second run says the same about another one.
    expect((await again()).split('\n')[0]).not.toContain(visitorId)
  })
})
