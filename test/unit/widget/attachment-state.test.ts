import { describe, expect, it } from 'vitest'
import type { MessageNew } from '@parley/sdk/contract'
import type { OutboxEntry } from '@parley/sdk/connection'
import { INITIAL, reduce } from '../../../widget/src/consumer/state.js'
import { filePolicy, fileProblem } from '../../../widget/src/consumer/file-check.js'
import { reduce as reduceConsole, INITIAL as CONSOLE_INITIAL } from '../../../widget/src/console/state.js'

// Files in the widget's and the console's state: waiting in the outbox they show with no id (as
// sending), stored they show with the relay's refs; and what the composer lets a visitor attach.

const REF = { attachmentId: 'att1', name: 'label.png', type: 'image/png' as const, size: 2048, thumbnail: true, width: 640, height: 480 }
const waiting: OutboxEntry = {
  convId: 'c', clientMsgId: 'm1', text: '', createdAt: 5, owner: 'tab',
  files: [{ key: 'k1', name: 'label.png', type: 'image/png', size: 2048, data: new Blob(['x']) }],
}
const stored: MessageNew = { type: 'message.new', convId: 'c', seq: 1, clientMsgId: 'm1', from: { kind: 'visitor', id: 'v' }, text: '', at: 6, attachments: [REF] }

describe('files in the widget state', () => {
  it('shows a waiting file as sending, with no id, and the stored one with its ref in its place', () => {
    let s = reduce(reduce(INITIAL, { type: 'started', convId: 'c' }), { type: 'outbox', entries: [waiting] })
    expect(s.messages).toMatchObject([{ id: 'm1', status: 'sending', files: [{ id: null, name: 'label.png', thumbnail: false }] }])
    s = reduce(s, { type: 'message', message: stored, mine: true })
    expect(s.messages).toHaveLength(1)
    expect(s.messages[0]).toMatchObject({ id: 'm1', status: 'sent', files: [{ id: 'att1', name: 'label.png', type: 'image/png', size: 2048, thumbnail: true }] })
  })

  it('gives a message without files no file list', () => {
    const s = reduce(reduce(INITIAL, { type: 'started', convId: 'c' }), { type: 'message', message: { ...stored, text: 'hi', attachments: undefined as never }, mine: false })
    expect(s.messages[0]!.files).toBeUndefined()
  })
})

describe('files in the console state', () => {
  it('shows a waiting reply file as pending and the stored one once', () => {
    let s = reduceConsole(CONSOLE_INITIAL, { type: 'chat', convId: 'c', visitorId: 'v', context: null, closed: false })
    s = reduceConsole(s, { type: 'outbox', entries: [waiting] })
    expect(s.chats.c!.lines).toMatchObject([{ id: 'm1', pending: true, files: [{ id: null }] }])
    s = reduceConsole(s, { type: 'message', message: { ...stored, from: { kind: 'agent', id: 'a', name: 'Dana' } }, mine: true })
    expect(s.chats.c!.lines).toHaveLength(1)
    expect(s.chats.c!.lines[0]).toMatchObject({ pending: false, files: [{ id: 'att1', thumbnail: true }] })
  })
})

describe('what a visitor may attach', () => {
  it('takes images and PDF up to 10 MiB when the brand says nothing', () => {
    const policy = filePolicy(undefined)!
    expect(fileProblem(policy, { type: 'image/png', size: 10 * 1024 * 1024 })).toBeNull()
    expect(fileProblem(policy, { type: 'application/pdf', size: 10 * 1024 * 1024 + 1 })).toBe('size')
    expect(fileProblem(policy, { type: 'image/svg+xml', size: 10 })).toBe('type')
    expect(fileProblem(policy, { type: 'text/html', size: 10 })).toBe('type')
  })

  it("follows the brand's types and size, and offers nothing when visitors' files are off", () => {
    const policy = filePolicy({ types: ['image/svg+xml'], maxBytes: 2048 })!
    expect(fileProblem(policy, { type: 'image/svg+xml', size: 2048 })).toBeNull()
    expect(fileProblem(policy, { type: 'image/png', size: 10 })).toBe('type')
    expect(fileProblem(policy, { type: 'image/svg+xml', size: 2049 })).toBe('size')
    expect(filePolicy({ visitors: false })).toBeNull()
  })
})
