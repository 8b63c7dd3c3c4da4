import { readFileSync, existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'

// patches/ws+<version>.patch moves the computed key of ws's per-frame options literal last: with it
// first, an early GC left Node 20's V8 building that object on a slow path for good, 8x the cost of
// a send (test/bench/ws-sender.mjs). `npm install` applies it (postinstall: patch-package).
// The ws the relay loads: the one @fastify/websocket resolves.
const require = createRequire(createRequire(import.meta.url).resolve('@fastify/websocket'))
const wsDir = dirname(require.resolve('ws/package.json'))
const { version } = JSON.parse(readFileSync(join(wsDir, 'package.json'), 'utf8')) as { version: string }
const sender = readFileSync(join(wsDir, 'lib', 'sender.js'), 'utf8')

describe('the installed ws', () => {
  it('has a patch for its exact version', () => {
    expect(existsSync(join(import.meta.dirname, '../../../patches', `ws+${version}.patch`))).toBe(true)
  })

  it('builds every frame options object with its computed key last', () => {
    const literals = sender.match(/= \{\n(?:\s+[^\n]*\n)*?\s+\};/g) ?? []
    const withKey = literals.filter((l) => l.includes('[kByteLength]'))
    expect(withKey).toHaveLength(4)
    for (const literal of withKey) expect(literal).toMatch(/\[kByteLength\]: [^\n,]+\n\s+\};$/)
  })
})
