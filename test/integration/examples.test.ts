import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { RelayProcess } from '../helpers/relay-process.js'
import { tempDir } from '../helpers/temp-dir.js'

// Examples are documentation that must run: each one is executed against a real relay process.

const run = promisify(execFile)
const CHAT = fileURLToPath(new URL('../../examples/node-chat/chat.mjs', import.meta.url))

describe('examples', () => {
  const cleanup: (() => Promise<void> | void)[] = []
  afterEach(async () => { for (const c of cleanup.splice(0).reverse()) await c() })

  it('runs examples/node-chat against a relay started with --demo and leaves its transcript stored', async () => {
    const dir = tempDir()
    cleanup.push(dir.remove)
    const relay = await RelayProcess.start({ dataDir: dir.dir, args: ['--demo'] })
    cleanup.push(() => relay.kill('SIGTERM').then(() => undefined))
    const { stdout } = await run(process.execPath, [CHAT, relay.url, dir.dir], { timeout: 20_000 })
    expect(stdout).toContain('same ack (seq 1)')
    expect(stdout).toMatch(/caught up to seq 4:\n {2}3\. .+: Is there anything else I can help with\?\n {2}4\. /)

    const demo = JSON.parse(readFileSync(join(dir.dir, 'demo.json'), 'utf8')) as { apiKey: string }
    const list = await fetch(`${relay.url}/v1/conversations`, { headers: { authorization: `Bearer ${demo.apiKey}` } })
    const { conversations } = (await list.json()) as { conversations: { convId: string; status: string; lastSeq: number }[] }
    expect(conversations).toHaveLength(1)
    expect(conversations[0]).toMatchObject({ status: 'closed', lastSeq: 4 })
  })
})
