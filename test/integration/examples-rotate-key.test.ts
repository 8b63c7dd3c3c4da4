import { fileURLToPath } from 'node:url'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { runOnDemoRelay } from '../helpers/demo-example.js'

// examples/sdk-scripts/rotate-key.mjs is documentation that must run: executed twice against a real
// relay process started with --demo, its output is the README's and it leaves no working key behind.

const SCRIPT = fileURLToPath(new URL('../../examples/sdk-scripts/rotate-key.mjs', import.meta.url))
const README = fileURLToPath(new URL('../../examples/sdk-scripts/README.md', import.meta.url))

describe('examples/sdk-scripts/rotate-key.mjs', () => {
  const cleanup: (() => Promise<void> | void)[] = []
  afterEach(async () => { for (const c of cleanup.splice(0).reverse()) await c() })

  it('prints what the README promises on every run, and leaves only the demo key working', async () => {
    const { dir, relay, stdout: first, again } = await runOnDemoRelay(SCRIPT, cleanup)
    expect(await again()).toBe(first)
    const readme = readFileSync(README, 'utf8')
    const promised = /## rotate-key\.mjs[\s\S]*?Expected output:\n\n```\n([\s\S]*?)```/.exec(readme)![1]!
    expect(first).toBe(promised)

    const { apiKey } = JSON.parse(readFileSync(join(dir.dir, 'demo.json'), 'utf8')) as { apiKey: string }
    const res = await fetch(`${relay.url}/v1/keys`, { headers: { authorization: `Bearer ${apiKey}` } })
    const { keys } = (await res.json()) as { keys: { name: string; revokedAt: number | null; createdBy: string }[] }
    expect(keys.filter((k) => k.revokedAt === null).map((k) => k.createdBy)).toEqual(['cli'])
    expect(keys.filter((k) => k.name === 'rotate-key example')).toHaveLength(4)
  })
})
