import { afterEach, describe, expect, it } from 'vitest'
import type { ApiKey } from '@parley/sdk/contract'
import { expiryOf, keyStatus } from '../../../widget/src/console/key-status.js'

// How the key list reads a key, and the expiry the form's date means.

const KEY: ApiKey = { keyId: 'k_1', name: 'CI', scopes: ['reports:read'], prefix: 'sk_ab', createdAt: 1, lastUsedAt: null, expiresAt: null, revokedAt: null, createdBy: 'cli', replacedBy: null }
const NOW = Date.UTC(2026, 11, 5, 12)

describe('key status', () => {
  it('reads active, revoked, expired, and a rotated-out key still in its grace', () => {
    expect(keyStatus(KEY, NOW)).toBe('Active')
    expect(keyStatus({ ...KEY, revokedAt: NOW - 1 }, NOW)).toBe('Revoked')
    expect(keyStatus({ ...KEY, expiresAt: NOW }, NOW)).toBe('Expired')
    expect(keyStatus({ ...KEY, expiresAt: NOW + 1000 }, NOW)).toMatch(/^Expires /)
    // Rotated out: the grace is its expiry and replacedBy names the successor.
    expect(keyStatus({ ...KEY, expiresAt: NOW + 1000, replacedBy: 'k_2' }, NOW)).toMatch(/^Retiring, expires /)
    expect(keyStatus({ ...KEY, expiresAt: NOW, replacedBy: 'k_2' }, NOW)).toBe('Expired')
    // Rotated with a grace of 0: revoked at once.
    expect(keyStatus({ ...KEY, revokedAt: NOW, replacedBy: 'k_2' }, NOW)).toBe('Revoked')
  })
})

describe('key expiry from the form', () => {
  const tz = process.env.TZ
  afterEach(() => { if (tz === undefined) delete process.env.TZ; else process.env.TZ = tz })

  it('is the end of the chosen day, and only a future one', () => {
    process.env.TZ = 'UTC'
    expect(expiryOf('2026-12-06', NOW)).toBe(Date.UTC(2026, 11, 7) - 1)
    expect(expiryOf('2026-12-04', NOW)).toBeNull()
    expect(expiryOf('', NOW)).toBeNull()
    expect(expiryOf('6/12/2026', NOW)).toBeNull()
  })
})
