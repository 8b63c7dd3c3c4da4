import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { Parley } from '@parley/sdk'
import { runOnDemoRelay } from '../helpers/demo-example.js'

// examples/sdk-scripts/identify-customer.mjs is documentation that must run: against a real relay
// process started with --demo, it creates a secret, signs with jose and node:crypto, identifies,
// logs out and sees the replay refused, and deletes its secret at the end, so runs leave the brand's
// two secret slots as they were; on a brand already holding two, it rotates instead of hitting the limit.

const SCRIPT = fileURLToPath(new URL('../../examples/sdk-scripts/identify-customer.mjs', import.meta.url))

describe('examples/sdk-scripts/identify-customer.mjs', () => {
  const cleanup: (() => Promise<void> | void)[] = []
  afterEach(async () => { for (const c of cleanup.splice(0).reverse()) await c() })

  it('identifies, logs out, refuses the replay, deletes its secret, and rotates on a full brand', async () => {
    const { stdout, again, dir, relay } = await runOnDemoRelay(SCRIPT, cleanup)
    expect(stdout).toMatch(/^created secret is_\S+ \(shown once/m)
    expect(stdout).toContain('identified as customer-4711 (Ada Lovelace); the relay closed with 1000')
    expect(stdout).toContain('hello again: welcome says customer customer-4711')
    expect(stdout).toContain('logged out; the relay closed with 1000')
    expect(stdout).toContain('replayed token refused as expected: PARLEY_ERR_IDENTITY_REVOKED')
    expect(stdout).toContain('the node:crypto token verifies too: customer-4711')
    // examples/sdk-scripts/README.md's expected output, line for line (an id shortened with … stands for any id; token lengths may differ).
    const readme = readFileSync(fileURLToPath(new URL('../../examples/sdk-scripts/README.md', import.meta.url)), 'utf8')
    const section = readme.slice(readme.indexOf('## identify-customer.mjs'))
    const expected = section.slice(section.indexOf('Expected output')).split('```\n')[1]!.trimEnd().split('\n')
    const lines = stdout.trimEnd().split('\n')
    expect(lines).toHaveLength(expected.length)
    const pattern = (line: string) => new RegExp(`^${line.split(/[A-Za-z0-9]*…/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\S+').replace(/\d+ chars/g, '\\d+ chars')}$`)
    expected.forEach((line, i) => expect(lines[i]).toMatch(pattern(line)))
    const created = /^created secret (is_\S+)/m.exec(stdout)![1]
    expect(stdout).toContain(`deleted secret ${created}: it was only for this run`)
    const demo = JSON.parse(readFileSync(join(dir.dir, 'demo.json'), 'utf8')) as { apiKey: string }
    const parley = new Parley({ relay: relay.url, apiKey: demo.apiKey })
    expect(await parley.identity.secrets.list()).toEqual([])
    // Run again and again, the brand keeps room for its own secrets (docs/security.md's first step).
    expect(await again()).not.toMatch(/^rotated/m)
    const mine = await parley.identity.secrets.create()
    const other = await parley.identity.secrets.create()
    expect(await again()).toMatch(new RegExp(`^rotated: deleted the older secret ${mine.secretId}$`, 'm'))
    expect((await parley.identity.secrets.list()).map((x) => x.secretId)).toEqual([other.secretId])
  })
})
