import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as contract from '../../../sdk/src/contract/contract.js'
import * as config from '../../../sdk/src/contract/config.js'
import * as frames from '../../../sdk/src/contract/frames.js'
import * as masking from '../../../sdk/src/contract/masking.js'
import * as rest from '../../../sdk/src/contract/rest.js'
import { createMemoryStorage } from '../../../sdk/src/connection/connection.js'
import { EN } from '../../../widget/src/i18n/strings.js'
import { countPageView } from '../../../widget/src/consumer/context.js'
import { saveHistory } from '../../../widget/src/consumer/saved-history.js'
import { INITIAL, type WidgetState } from '../../../widget/src/consumer/state.js'

// The widget build shortens the property names in widget/internal-props.json. A name that also
// crosses the bundle's edge (a frame or REST field, the site config, a string key, what the browser
// keeps) would be renamed on one side only; this keeps such a name out of the list.

const names: string[] = (JSON.parse(readFileSync(new URL('../../../widget/internal-props.json', import.meta.url), 'utf8')) as { names: string[] }).names

/** Every property name a TypeBox schema (or anything nested in it) declares. */
function schemaFields(value: unknown, into = new Set<string>(), seen = new Set<unknown>()): Set<string> {
  if (typeof value !== 'object' || value === null || seen.has(value)) return into
  seen.add(value)
  const props = (value as { properties?: Record<string, unknown> }).properties
  if (props) for (const k of Object.keys(props)) into.add(k)
  for (const v of Object.values(value)) schemaFields(v, into, seen)
  return into
}

/** Every key of a JSON value, at any depth. */
function keysOf(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value !== 'object' || value === null) return into
  if (!Array.isArray(value)) for (const k of Object.keys(value)) into.add(k)
  for (const v of Object.values(value)) keysOf(v, into)
  return into
}

describe('internal property names the widget build shortens', () => {
  it('lists names, each once', () => {
    expect(names.length).toBeGreaterThan(10)
    expect(new Set(names).size).toBe(names.length)
  })

  it('holds no field of a frame, a REST body or the site config', () => {
    const fields = schemaFields([contract, config, frames, masking, rest])
    expect(fields.has('convId') && fields.has('clientMsgId') && fields.has('brandName')).toBe(true)
    expect(names.filter((n) => fields.has(n))).toEqual([])
  })

  it('holds no key of the string table (brands override strings by key)', () => {
    expect(names.filter((n) => n in EN)).toEqual([])
  })

  it('holds no name of what the browser keeps (saved history, page tally)', async () => {
    const storage = createMemoryStorage()
    const state: WidgetState = {
      ...INITIAL, convId: 'c1', endedAt: 5, agentReadSeq: 1,
      messages: [{ id: 'm1', seq: 1, text: 'hi', mine: true, status: 'sent', at: 1, author: 'Ann' }],
      earlier: [{ convId: 'c0', messages: [{ id: 'm0', seq: 1, text: 'old', mine: false, status: 'sent', at: 0 }], endedAt: 2, open: true }],
    }
    await saveHistory(storage, state)
    const kept = keysOf([await storage.get('parley:history'), countPageView(countPageView(null, 0), 1)])
    expect(kept.has('agentReadSeq') && kept.has('pagesViewed')).toBe(true)
    expect(names.filter((n) => kept.has(n))).toEqual([])
  })
})
