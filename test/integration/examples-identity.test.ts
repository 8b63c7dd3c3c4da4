import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { runOnDemoRelay } from '../helpers/demo-example.js'

// examples/sdk-scripts/identify-customer.mjs is documentation that must run: against a real relay
// process started with --demo, it creates a secret, signs with jose and node:crypto, identifies,
// logs out and sees the replay refused; run three times, it rotates instead of hitting the limit.

const SCRIPT = fileURLToPath(new URL('../../examples/sdk-scripts/identify-customer.mjs', import.meta.url))

describe('examples/sdk-scripts/identify-customer.mjs', () => {
  const cleanup: (() => Promise<void> | void)[] = []
  afterEach(async () => { for (const c of cleanup.splice(0).reverse()) await c() })

  it('identifies, logs out, refuses the replay, and rotates on later runs', async () => {
    const { stdout, again } = await runOnDemoRelay(SCRIPT, cleanup)
    expect(stdout).toMatch(/^created secret is_\S+ \(shown once/m)
    expect(stdout).toContain('identified as customer-4711 (Ada Lovelace); the relay closed with 1000')
    expect(stdout).toContain('hello again: welcome says customer customer-4711')
    expect(stdout).toContain('logged out; the relay closed with 1000')
    expect(stdout).toContain('replayed token refused as expected: PARLEY_ERR_IDENTITY_REVOKED')
    expect(stdout).toContain('the node:crypto token verifies too: customer-4711')
    await again()
    expect(await again()).toMatch(/^rotated: deleted the older secret is_/m)
  })
})
