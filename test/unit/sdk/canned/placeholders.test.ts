import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { fillPlaceholders, CANNED_PLACEHOLDERS } from '@parley/sdk/canned'

// Placeholders as (text, values, expected) rows, then properties over any text and any values.

const VALUES = { visitor: { name: 'Maya Lind', email: 'maya@example.com' }, agent: { name: 'Sam Ortiz' } }

describe('fillPlaceholders', () => {
  const rows: [string, Parameters<typeof fillPlaceholders>[1], string][] = [
    ['Hi {visitor.name}!', VALUES, 'Hi Maya Lind!'],
    ['Mail: {visitor.email}', VALUES, 'Mail: maya@example.com'],
    ['I am {agent.name}', VALUES, 'I am Sam Ortiz'],
    ['I am {agent.firstName}', VALUES, 'I am Sam'],
    ['I am {agent.firstName}', { agent: { name: '  Cher  ' } }, 'I am Cher'],
    ['Hi {visitor.name|there}!', VALUES, 'Hi Maya Lind!'],
    ['Hi {visitor.name|there}!', {}, 'Hi there!'],
    ['Hi {visitor.name|there}!', { visitor: { name: '   ' } }, 'Hi there!'],
    ['Hi {visitor.name|}!', {}, 'Hi !'],
    ['Hi {visitor.name}!', {}, 'Hi {visitor.name}!'],
    ['Order {order.id} for {visitor.name}', VALUES, 'Order {order.id} for Maya Lind'],
    ['{visitor.phone|n/a}', VALUES, '{visitor.phone|n/a}'],
    ['{ visitor.name }', VALUES, '{ visitor.name }'],
    ['{visitor.name}{visitor.name}', VALUES, 'Maya LindMaya Lind'],
    ['{{visitor.name}}', VALUES, '{Maya Lind}'],
    ['No placeholders at all', VALUES, 'No placeholders at all'],
    ['Hi {visitor.name}', { visitor: { name: '<b>Maya</b> & co' } }, 'Hi <b>Maya</b> & co'],
  ]
  it.each(rows)('fills %j', (text, values, expected) => {
    expect(fillPlaceholders(text, values)).toBe(expected)
  })

  it('never expands a placeholder that arrives inside a value', () => {
    const placeholder = fc.constantFrom(...CANNED_PLACEHOLDERS.map((p) => `{${p}}`), '{visitor.name|there}')
    const value = fc.array(fc.oneof(placeholder, fc.string({ maxLength: 8 })), { maxLength: 4 }).map((parts) => parts.join(''))
    fc.assert(fc.property(value, value, (visitorName, agentName) => {
      const filled = fillPlaceholders('Hello {visitor.name}, {agent.name} here', { visitor: { name: visitorName }, agent: { name: agentName } })
      const v = visitorName.trim() || '{visitor.name}'
      const a = agentName.trim() || '{agent.name}'
      expect(filled).toBe(`Hello ${v}, ${a} here`)
    }))
  })

  it('leaves any text without a known placeholder exactly as it was', () => {
    const text = fc.string().filter((s) => !/\{(visitor|agent)\.(name|email|firstName)[|}]/.test(s))
    fc.assert(fc.property(text, (s) => { expect(fillPlaceholders(s, VALUES)).toBe(s) }))
  })
})
