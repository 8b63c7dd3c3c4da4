import { execFileSync } from 'node:child_process'
import { scryptSync } from 'node:crypto'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { DUMMY_HASH, hashPassword, needsRehash, verifyPassword } from '../../../../server/src/auth/passwords.js'

// The module as built (npm test builds first), for a check that needs a process of its own.
const BUILT = fileURLToPath(new URL('../../../../server/dist/auth/passwords.js', import.meta.url))

const olderHash = (password: string) => {
  const salt = Buffer.from('0123456789abcdef')
  return ['scrypt', 16384, 8, 1, salt.toString('base64url'), scryptSync(password, salt, 32, { N: 16384, r: 8, p: 1 }).toString('base64url')].join('$')
}

describe('hashPassword and verifyPassword', () => {
  it('verifies the password a hash was made from', async () => {
    const hash = await hashPassword('correct horse battery staple')
    await expect(verifyPassword('correct horse battery staple', hash)).resolves.toBe(true)
  })

  it('does not verify a different password', async () => {
    const hash = await hashPassword('correct horse battery staple')
    await expect(verifyPassword('correct horse battery stapler', hash)).resolves.toBe(false)
  })

  it('stores the scheme and cost parameters with a fresh salt in each hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same password'), hashPassword('same password')])
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/)
    expect(a).not.toBe(b)
  })

  it('asks for a new hash of a password stored with cheaper parameters, and only then', async () => {
    expect(needsRehash(olderHash('older'))).toBe(true)
    expect(needsRehash(await hashPassword('current'))).toBe(false)
    expect(needsRehash(DUMMY_HASH)).toBe(false)
    // A dearer hash (a later release's, before a rollback) is not weakened.
    expect(needsRehash(DUMMY_HASH.replace('$32768$', '$65536$'))).toBe(false)
    // Nothing that is not a hash (it never verifies either).
    expect(needsRehash('bcrypt$10$whatever')).toBe(false)
  })

  it('still verifies a hash stored with the earlier parameters (N = 16384)', async () => {
    const stored = olderHash('an older password')
    await expect(verifyPassword('an older password', stored)).resolves.toBe(true)
    await expect(verifyPassword('an older passw0rd', stored)).resolves.toBe(false)
  })

  it('answers for a hash with the earlier parameters no sooner than for one with the current parameters', async () => {
    const older = olderHash('pw-older')
    const current = await hashPassword('pw-current')
    let started = performance.now()
    await verifyPassword('pw-current', current)
    const currentMs = performance.now() - started
    started = performance.now()
    await verifyPassword('wrong', older)
    // The wait matches the current derivation alone; the 5 ms allow for timer rounding and the
    // work around it.
    expect(performance.now() - started).toBeGreaterThanOrEqual(currentMs - 5)
  })

  it('answers for an older hash no sooner than a current check even before the first one', () => {
    // A process of its own: no derivation has run in it yet, and this worker's modules stay as they are.
    const { ok, firstMs, currentMs } = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', `
      import { DUMMY_HASH, verifyPassword } from ${JSON.stringify(pathToFileURL(BUILT).href)}
      const older = ${JSON.stringify(olderHash('pw-older'))}
      let at = performance.now()
      const ok = await verifyPassword('pw-older', older)
      const firstMs = performance.now() - at
      let currentMs = Infinity
      for (let i = 0; i < 2; i++) {
        at = performance.now()
        await verifyPassword('anything', DUMMY_HASH)
        currentMs = Math.min(currentMs, performance.now() - at)
      }
      console.log(JSON.stringify({ ok, firstMs, currentMs }))
    `], { encoding: 'utf8' })) as { ok: boolean; firstMs: number; currentMs: number }
    expect(ok).toBe(true)
    // The first older check ran a current derivation beside its own and waited for both. The
    // current one is the faster of two checks in turn, and may still take a third longer than
    // that on a noisy machine: an older check with no bar at all takes well under half
    // (N = 2^14 is half the work of 2^15).
    expect(firstMs).toBeGreaterThanOrEqual(currentMs * 0.75)
  })

  it('checks a missing account against a dummy hash at the current parameters that nothing matches', async () => {
    expect(DUMMY_HASH).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/)
    await expect(verifyPassword('', DUMMY_HASH)).resolves.toBe(false)
    await expect(verifyPassword('correct horse battery', DUMMY_HASH)).resolves.toBe(false)
  })

  it('never stores the password itself', async () => {
    const hash = await hashPassword('hunter2-hunter2')
    expect(hash).not.toContain('hunter2')
  })

  it('verifies a password typed in another Unicode normalisation form', async () => {
    const composed = 'caf\u00e9-p\u00e4ss'
    const decomposed = 'cafe\u0301-pa\u0308ss'
    await expect(verifyPassword(decomposed, await hashPassword(composed))).resolves.toBe(true)
  })

  it.each([
    ['an empty string', () => ''],
    ['another scheme', (h: string) => h.replace(/^scrypt/, 'bcrypt')],
    ['no key', (h: string) => h.split('$').slice(0, 5).join('$')],
    ['an empty key', (h: string) => h.split('$').slice(0, 5).join('$') + '$'],
    ['a truncated key', (h: string) => h.slice(0, -10)],
    ['an extra field after the key', (h: string) => `${h}$extra`],
    ['a cost parameter that is not a number', (h: string) => h.replace('$32768$', '$abc$')],
    ['a cost parameter that is not a power of two', (h: string) => h.replace('$32768$', '$1000$')],
    ['a cost parameter beyond the memory limit', (h: string) => h.replace('$32768$', '$1073741824$')],
  ])('never matches a malformed hash: %s', async (_what, corrupt) => {
    const hash = await hashPassword('pw-for-malformed')
    await expect(verifyPassword('pw-for-malformed', corrupt(hash))).resolves.toBe(false)
  })
})
