import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { randomBytes } from 'node:crypto'
import { join, resolve } from 'node:path'

// The relay's data directory: the SQLite file, the token secret and the demo credentials.

/** The data directory, created (mode 0700) if missing. */
export function openDataDir(dir: string): string {
  const abs = resolve(dir)
  mkdirSync(abs, { recursive: true, mode: 0o700 })
  return abs
}

/** Path of the SQLite database in `dir`. */
export function databaseFile(dir: string): string {
  return join(dir, 'parley.db')
}

/**
 * The token-signing secret: `PARLEY_SECRET` (at least 32 characters) when set, so several relays can
 * share it; otherwise 32 random bytes kept in `secret.key` (mode 0600) beside the database. With
 * `sharedBecause` (why this relay is one of several nodes) a secret of its own is refused: a token
 * one node signed would be refused by the others, so a visitor moved by the load balancer would
 * lose their conversations.
 */
export function loadSecret(dir: string, env: NodeJS.ProcessEnv, sharedBecause?: string): Buffer {
  const fromEnv = env.PARLEY_SECRET
  // Empty counts as unset, as for the other settings.
  if (fromEnv !== undefined && fromEnv !== '') {
    if (fromEnv.length < 32) throw new Error('PARLEY_SECRET must be at least 32 characters')
    return Buffer.from(fromEnv, 'utf8')
  }
  if (sharedBecause !== undefined) {
    throw new Error(`${sharedBecause}, so this relay is one of several nodes and they must sign tokens with one secret: set PARLEY_SECRET (at least 32 characters) to the same value on every node`)
  }
  const file = join(dir, 'secret.key')
  if (!existsSync(file)) {
    writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' })
  }
  chmodSync(file, 0o600)
  return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')
}

/** Reads a JSON file in the data dir, or null when it is missing. */
export function readJson<T>(dir: string, name: string): T | null {
  const file = join(dir, name)
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : null
}

/** Writes a JSON file in the data dir, readable only by its owner. */
export function writeJson(dir: string, name: string, value: unknown): void {
  writeFileSync(join(dir, name), JSON.stringify(value, null, 2) + '\n', { mode: 0o600 })
}
