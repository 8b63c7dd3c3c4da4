import { describe, expect, it } from 'vitest'
import { checkDraft, type OfflineDraft } from '../../../widget/src/consumer/offline-message.js'

// What the offline form asks the visitor to fix before it sends, in the form's order.

describe('checkDraft', () => {
  const ok: OfflineDraft = { name: 'Ada', email: 'ada@example.com', message: 'Call me back' }
  it.each<[string, OfflineDraft, ReturnType<typeof checkDraft>]>([
    ['a complete draft', ok, []],
    ['all empty', { name: '', email: '', message: '' }, [['name', 'required'], ['email', 'required'], ['message', 'required']]],
    ['blanks only', { name: '  ', email: ' ', message: '\n' }, [['name', 'required'], ['email', 'required'], ['message', 'required']]],
    ['no domain dot', { ...ok, email: 'ada@example' }, [['email', 'email']]],
    ['a space in the address', { ...ok, email: 'ada lovelace@example.com' }, [['email', 'email']]],
    ['two at signs', { ...ok, email: 'ada@@example.com' }, [['email', 'email']]],
    ['spaces around a good address', { ...ok, email: ' ada@example.com ' }, []],
  ])('%s', (_, draft, want) => {
    expect(checkDraft(draft)).toEqual(want)
  })
})
