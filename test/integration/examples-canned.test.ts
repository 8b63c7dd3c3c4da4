import { fileURLToPath } from 'node:url'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runOnDemoRelay } from '../helpers/demo-example.js'

// examples/sdk-scripts/canned-replies.mjs is documentation that must run: executed twice against a
// real relay process started with --demo, its output is the README's and the replies are stored once.

const SCRIPT = fileURLToPath(new URL('../../examples/sdk-scripts/canned-replies.mjs', import.meta.url))
const README = fileURLToPath(new URL('../../examples/sdk-scripts/README.md', import.meta.url))

describe('examples/sdk-scripts/canned-replies.mjs', () => {
  const cleanup: (() => Promise<void> | void)[] = []
  afterEach(async () => { for (const c of cleanup.splice(0).reverse()) await c() })

  it('prints what the README promises, and a second run updates instead of adding', async () => {
    const { dir, relay, stdout: first, again } = await runOnDemoRelay(SCRIPT, cleanup)
    const second = await again()
    expect(second).toBe(first)
    const readme = readFileSync(README, 'utf8')
    const promised = /## canned-replies\.mjs[\s\S]*?Expected output:\n\n```\n([\s\S]*?)```/.exec(readme)![1]!
    expect(first).toBe(promised)

    const { apiKey } = JSON.parse(readFileSync(join(dir.dir, 'demo.json'), 'utf8')) as { apiKey: string }
    const res = await fetch(`${relay.url}/v1/canned-replies`, { headers: { authorization: `Bearer ${apiKey}` } })
    const { replies } = (await res.json()) as { replies: { shortcut: string; scope: string }[] }
    expect(replies.map((r) => `${r.scope}:${r.shortcut}`)).toEqual(['brand:bye', 'brand:hello', 'brand:refund'])
  })
})
