import { readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// examples/sdk-scripts/README.md is where a newcomer learns what each script does and which
// arguments they take: it has a section for every script in the folder, and its arguments section
// speaks of all of them without a count that goes stale when a script is added.

const DIR = fileURLToPath(new URL('../../../examples/sdk-scripts/', import.meta.url))
const readme = readFileSync(`${DIR}README.md`, 'utf8')
const scripts = readdirSync(DIR).filter((f) => f.endsWith('.mjs')).sort()

describe('examples/sdk-scripts/README.md', () => {
  it('has a section for every script', () => {
    const sections = [...readme.matchAll(/^## (\S+\.mjs)$/gm)].map((m) => m[1]!).sort()
    expect(sections).toEqual(scripts)
  })

  it('says which arguments every script takes, without counting them', () => {
    const args = readme.split('\n## Arguments\n')[1]!.split('\n## ')[0]!
    expect(args).toMatch(/^Every script takes `RELAY_URL`/m)
    expect(args).not.toMatch(/\b(two|three|four|five|six) scripts\b/i)
  })
})
