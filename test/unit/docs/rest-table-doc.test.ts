import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { ACTIONS } from '@parley/sdk/contract'

// docs/protocol.md's REST table names, per route, the action the policy is asked (or who may call a
// route that asks none), not a list of credentials: the roles and scopes behind each action live in
// the contract's ACTIONS table and docs/security.md, once.

const page = readFileSync(fileURLToPath(new URL('../../../docs/protocol.md', import.meta.url)), 'utf8')
const ROW = /^\| `((?:GET|POST|PUT|PATCH|DELETE) [^`]+)` \| ([^|]*) \|/gm
const WHO = new Set(['none', 'agent (own)', 'visitor, agent', 'none, or a visitor token'])

describe('the REST table of docs/protocol.md', () => {
  const rows = [...page.matchAll(ROW)].map((m) => ({ route: m[1]!, cell: m[2]!.trim() }))

  it('has an Action column', () => {
    expect(page).toMatch(/^\| Method and path \| Action \| Request \| Response \|$/m)
    expect(rows.length).toBeGreaterThan(50)
  })

  it.each([...page.matchAll(ROW)].map((m) => [m[1]!, m[2]!.trim()]))('names an action of the contract for %s', (_route, cell) => {
    const named = [...cell.matchAll(/`([a-z]+\.[a-z]+)`/g)].map((m) => m[1]!)
    if (named.length === 0) {
      expect(WHO.has(cell), cell).toBe(true)
      return
    }
    for (const action of named) expect(Object.keys(ACTIONS), action).toContain(action)
  })
})
