import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { AgentPresence } from '../../../sdk/src/contract/agents.js'
import { Colleague } from '../../../sdk/src/contract/rest.js'

// A brand reading docs/sdk.md must learn what `parley.agents.list()` gives without reading the
// contract: the colleague fields it has (no e-mail, no skills), and that presence() is where skills are.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const sdk = readFileSync(`${ROOT}docs/sdk.md`, 'utf8')
const protocol = readFileSync(`${ROOT}docs/protocol.md`, 'utf8')
const row = (page: string, start: string) => page.split('\n').find((l) => l.startsWith(start)) ?? ''

describe('what docs say agents.list() and presence() return', () => {
  it('names every Colleague field in the list() row of docs/sdk.md, and says where skills are', () => {
    const list = row(sdk, '| `list()` | `GET /v1/agents` |')
    expect(Object.keys(Colleague.properties).filter((k) => !list.includes(`\`${k}\``))).toEqual([])
    expect(list).toMatch(/no e-mail/)
    expect(list).toMatch(/`presence\(\)`/)
    expect(Object.keys(Colleague.properties)).not.toContain('skills')
  })

  it('names every AgentPresence field in the presence row of docs/protocol.md', () => {
    const presence = row(protocol, '| `GET /v1/agents/presence` |')
    const listed = /\{agents: \[\{([^}]*)\}\]\}/.exec(presence)![1]!.split(',').map((f) => f.trim())
    expect(listed.sort()).toEqual(Object.keys(AgentPresence.properties).sort())
  })
})
