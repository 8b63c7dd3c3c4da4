import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { RelayProcess } from '../helpers/relay-process.js'
import { tempDir } from '../helpers/temp-dir.js'

// examples/sdk-scripts/canned-replies.mjs is documentation that must run: executed twice against a
// real relay process started with --demo, its output is the README's and the replies are stored once.

const run = promisify(execFile)
const SCRIPT = fileURLToPath(new URL('../../examples/sdk-scripts/canned-replies.mjs', import.meta.url))
const README = fileURLToPath(new URL('../../examples/sdk-scripts/README.md', import.meta.url))

describe('examples/sdk-scripts/canned-replies.mjs', () => {
  const cleanup: (() => Promise<unknown> | void)[] = []
  afterEach(async () => { for (const c of cleanup.splice(0).reverse()) await c() })

  it('prints what the README promises, and a second run updates instead of adding', async () => {
    const dir = tempDir()
    cleanup.push(dir.remove)
    const relay = await RelayProcess.start({ dataDir: dir.dir, args: ['--demo'] })
    cleanup.push(() => relay.kill('SIGTERM'))
    const first = (await run(process.execPath, [SCRIPT, relay.url, dir.dir], { timeout: 20_000 })).stdout
    const second = (await run(process.execPath, [SCRIPT, relay.url, dir.dir], { timeout: 20_000 })).stdout
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
