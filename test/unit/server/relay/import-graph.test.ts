import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// The relay's modules form no import circle (type-only imports included): handlers see their
// connection through the ports of session-port.ts, never through the session itself.

const RELAY = fileURLToPath(new URL('../../../../server/src/relay/', import.meta.url))
const IMPORT = /^import\s[^'"]*['"]\.\/([\w-]+)\.js['"]/gm

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>()
  for (const file of readdirSync(RELAY).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(RELAY + file, 'utf8')
    graph.set(file.replace(/\.ts$/, ''), [...source.matchAll(IMPORT)].map((m) => m[1]!))
  }
  return graph
}

/** Every cycle found by a depth-first walk, as the list of modules on it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = []
  const done = new Set<string>()
  const walk = (node: string, path: string[]) => {
    const at = path.indexOf(node)
    if (at >= 0) { found.push([...path.slice(at), node]); return }
    if (done.has(node)) return
    for (const next of graph.get(node) ?? []) walk(next, [...path, node])
    done.add(node)
  }
  for (const node of graph.keys()) walk(node, [])
  return found
}

describe('relay import graph', () => {
  it('has no import circle among the relay modules', () => {
    const graph = importGraph()
    expect(graph.size).toBeGreaterThan(10)
    expect(cycles(graph)).toEqual([])
  })

  it('has no handler that imports the session', () => {
    const importers = [...importGraph()].filter(([name, deps]) => name !== 'session' && deps.includes('session')).map(([name]) => name)
    expect(importers).toEqual([])
  })
})
