import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'
import { performance } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'

// Agent passwords, hashed with scrypt (RFC 7914) and a per-password salt. The parameters travel
// with the hash so they can be raised later without invalidating old hashes.

// N = 2^15, r = 8: 32 MiB and 2 KiB of working memory per call. That is above the largest mmap
// threshold glibc's malloc ever adopts (32 MiB on 64-bit), so each block is mapped for its call and
// returned when it ends. A 16 MiB block (N = 2^14, the earlier default, still verified below)
// raised the threshold when first freed, and every later one stayed in its libuv thread's arena:
// up to 4 x 16 MiB held for good after a few sign-ins.
const PARAMS = { N: 32768, r: 8, p: 1 } as const
const KEY_LEN = 32

// How long the last derivation with the current parameters took. A check against a hash with
// cheaper ones (an account from before they were raised) answers no sooner than that: otherwise its
// speed would tell such an account apart from a missing one, which is checked against DUMMY_HASH at
// the current parameters. The wait holds no memory.
let currentCostMs = 0

type Params = ScryptOptions & { N: number; r: number; p: number }

const isCurrent = (o: Params) => o.N === PARAMS.N && o.r === PARAMS.r && o.p === PARAMS.p

async function derive(password: string, salt: Buffer, o: Params): Promise<Buffer> {
  const started = performance.now()
  const key = await new Promise<Buffer>((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LEN, { ...o, maxmem: 64 * 1024 * 1024 }, (err, k) => (err ? reject(err) : resolve(k)))
  })
  // Only a derivation at exactly the current parameters sets the bar: a dearer stored hash (a tampered
  // row, or parameters from a later release) must not make every older account's check wait longer.
  if (isCurrent(o)) currentCostMs = performance.now() - started
  return key
}

// The one derivation at the current parameters that sets the bar when an older hash is checked
// before any other has (see deriveStored); shared, so a burst of such checks adds one, not one each.
let bar: Promise<unknown> | null = null

/** `derive` for a stored hash; one with cheaper parameters than the current ones answers no sooner. */
async function deriveStored(password: string, salt: Buffer, o: Params): Promise<Buffer> {
  if (o.N * o.r * o.p >= PARAMS.N * PARAMS.r * PARAMS.p) return derive(password, salt, o)
  const started = performance.now()
  // Before any derivation at the current parameters there is no bar yet: one runs beside this check
  // and the answer waits for it, then for the rest of the bar counted from this check's own start.
  if (currentCostMs === 0) bar ??= derive('', randomBytes(16), PARAMS).catch(() => undefined)
  const [key] = await Promise.all([derive(password, salt, o), bar])
  const took = performance.now() - started
  if (took < currentCostMs) await sleep(currentCostMs - took)
  return key
}

/** A storable hash of `password`: `scrypt$N$r$p$salt$key`. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, PARAMS)
  return ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, salt.toString('base64url'), key.toString('base64url')].join('$')
}

const B64URL = /^[A-Za-z0-9_-]+$/

/** Whether `password` matches `stored`; a malformed hash never matches (and never throws). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$')
  if (parts.length !== 6) return false
  const [scheme, n, r, p, salt, key] = parts as [string, string, string, string, string, string]
  const N = Number(n)
  const R = Number(r)
  const P = Number(p)
  // Bounds keep a tampered row from making one login cost unbounded memory or time.
  const sane = scheme === 'scrypt' && Number.isInteger(N) && N >= 2 && N <= 1 << 20 && (N & (N - 1)) === 0
    && Number.isInteger(R) && R >= 1 && R <= 32 && Number.isInteger(P) && P >= 1 && P <= 16
    && B64URL.test(salt) && B64URL.test(key)
  if (!sane) return false
  const want = Buffer.from(key, 'base64url')
  if (want.length !== KEY_LEN) return false
  try {
    const got = await deriveStored(password, Buffer.from(salt, 'base64url'), { N, r: R, p: P })
    return timingSafeEqual(got, want)
  } catch {
    return false
  }
}

/**
 * Whether `stored` was made with cheaper parameters than the current ones: after a sign-in that it
 * verified, hash the password again (hashPassword) and store that. A sign-in with an older hash
 * waits out the current cost anyway, and at N = 2^14 leaves a 16 MiB block that glibc keeps (see
 * PARAMS). A dearer hash (from a later release, before a rollback) is left as it is: weakening it
 * would undo that release's choice, and nodes of two releases would rewrite it back and forth.
 */
export function needsRehash(stored: string): boolean {
  const [, n, r, p] = stored.split('$')
  const cost = Number(n) * Number(r) * Number(p)
  return Number.isFinite(cost) && cost < PARAMS.N * PARAMS.r * PARAMS.p
}

/**
 * A well-formed hash at the current parameters that no password matches (its key is random bytes,
 * not a derivation): checking a login for a missing account against it spends the same scrypt time
 * as a real account's check, and making it costs none.
 */
export const DUMMY_HASH: string = ['scrypt', PARAMS.N, PARAMS.r, PARAMS.p, randomBytes(16).toString('base64url'), randomBytes(KEY_LEN).toString('base64url')].join('$')
