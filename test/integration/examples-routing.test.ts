import { fileURLToPath } from 'node:url'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runOnDemoRelay } from '../helpers/demo-example.js'

// examples/sdk-scripts/routing.mjs is documentation that must run: executed twice against a real
// relay process started with --demo, its output is the README's, and the relay routes automatically
// with the demo agent holding the skills the demo's pre-chat form routes to.

const SCRIPT = fileURLToPath(new URL('../../examples/sdk-scripts/routing.mjs', import.meta.url))
const README = fileURLToPath(new URL('../../examples/sdk-scripts/README.md', import.meta.url))

describe('examples/sdk-scripts/routing.mjs', () => {
  const cleanup: (() => Promise<void> | void)[] = []
  afterEach(async () => { for (const c of cleanup.splice(0).reverse()) await c() })

  it('prints what the README promises, the same on a second run, and leaves routing automatic', async () => {
    const { dir, relay, stdout: first, again } = await runOnDemoRelay(SCRIPT, cleanup)
    const second = await again()
    expect(second).toBe(first)
    const readme = readFileSync(README, 'utf8')
    const promised = /## routing\.mjs[\s\S]*?Expected output:\n\n```\n([\s\S]*?)```/.exec(readme)![1]!
    expect(first).toBe(promised)

    const { apiKey } = JSON.parse(readFileSync(join(dir.dir, 'demo.json'), 'utf8')) as { apiKey: string }
    const auth = { authorization: `Bearer ${apiKey}` }
    expect(await (await fetch(`${relay.url}/v1/routing`, { headers: auth })).json()).toMatchObject({ mode: 'automatic' })
    const { agents } = (await (await fetch(`${relay.url}/v1/agents/presence`, { headers: auth })).json()) as { agents: { skills: string[] }[] }
    expect(agents.map((a) => a.skills)).toEqual([['billing', 'orders']])
  })
})
