import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// Handlers see their connection through the ports of session-port.ts, never through the session
// itself. (That the relay has no import circle at all is dependency-cruiser's no-import-cycles rule.)

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

describe('relay import graph', () => {
  it('has no handler that imports the session', () => {
    const graph = importGraph()
    expect(graph.size).toBeGreaterThan(10)
    const importers = [...graph].filter(([name, deps]) => name !== 'session' && deps.includes('session')).map(([name]) => name)
    expect(importers).toEqual([])
  })
})
