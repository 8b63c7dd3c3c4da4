import { describe, expect, it } from 'vitest'
import type { FetchLike } from '@parley/sdk/connection'
import type { LiveClient } from '../helpers/live-client.js'
import { openAndAccept, useLiveRelay } from '../helpers/live-relay.js'
import { download } from '../helpers/attachments.js'
import { PDF, pngOf } from '../helpers/attachment-files.js'
import { callRest } from '../helpers/rest.js'
import { until } from '../helpers/until.js'

// The connection client's files against a real relay: a message's files wait in the outbox, go up
// over REST with one Idempotency-Key each, then the message goes with their ids. A lost answer with
// the socket killed, a reload in between, a file the relay refuses: each file stored once, each
// message once, in order.

const live = useLiveRelay()
const { visitor } = live
const agent = () => live.agent('Dana')

const realFetch: FetchLike = (url, init) => fetch(url, init as RequestInit) as ReturnType<FetchLike>
const PNG = pngOf(40, 30)
const pngFile = (name = 'photo.png') => ({ name, type: 'image/png', data: new Blob([new Uint8Array(PNG)], { type: 'image/png' }) })

const transcript = async (convId: string) =>
  (await callRest(live.relay, { url: `/v1/conversations/${convId}/messages`, token: live.brand.apiKey })).body.messages as { clientMsgId: string; text: string; attachments?: { attachmentId: string; name: string }[] }[]

describe('files through the connection client', () => {
  it('stores a file once when the upload answer is lost and the socket killed, and the agent gets it once', async () => {
    let uploads = 0
    let v!: LiveClient
    // The first upload reaches the relay, then the network dies before the answer comes back.
    const cutting: FetchLike = async (url, init) => {
      const res = await realFetch(url, init)
      if (init.method === 'POST' && url.endsWith('/v1/attachments') && ++uploads === 1) {
        await res.json()
        v.sockets.at(-1)!.terminate()
        throw new TypeError('fetch failed')
      }
      return res
    }
    v = visitor({ fetch: cutting })
    const a = await agent()
    const convId = await openAndAccept(v, a)
    const entry = await v.conn.send(convId, 'my receipt', [pngFile()])
    const after = await v.conn.send(convId, 'and a question')
    await until(() => a.texts(convId).length === 3, 'agent got both')
    expect(uploads).toBe(2)
    expect(a.texts(convId)).toEqual(['hello', 'my receipt', 'and a question'])
    const got = a.messages.find((m) => m.clientMsgId === entry.clientMsgId)!
    expect(got.attachments).toHaveLength(1)
    expect(got.attachments![0]).toMatchObject({ name: 'photo.png', type: 'image/png', size: PNG.length, width: 40, height: 30 })
    const stored = await transcript(convId)
    expect(stored.map((m) => m.clientMsgId)).toEqual([stored[0]!.clientMsgId, entry.clientMsgId, after.clientMsgId])
    // The bytes the agent downloads are the visitor's.
    const file = await a.conn.download(got.attachments![0]!.attachmentId)
    expect(Buffer.from(await (file as Blob).arrayBuffer())).toEqual(PNG)
    expect(await v.conn.outbox()).toEqual([])
  })

  it('sends files queued before a reload with the relay unreachable, once it is back', async () => {
    const a = await agent()
    const first = visitor()
    const convId = await openAndAccept(first, a)
    first.offline = true
    first.sockets.at(-1)!.terminate()
    await until(() => first.conn.state.kind === 'retrying', 'offline')
    const entry = await first.conn.send(convId, '', [pngFile('scan.png'), { name: 'terms.pdf', type: 'application/pdf', data: new Blob([new Uint8Array(PDF)]) }])
    await first.conn.stop()
    const second = visitor({ storage: first.storage, owner: 'after-reload' })
    await until(() => a.messages.some((m) => m.clientMsgId === entry.clientMsgId), 'agent got the files')
    const got = a.messages.filter((m) => m.clientMsgId === entry.clientMsgId)
    expect(got).toHaveLength(1)
    expect(got[0]!.attachments!.map((r) => r.name)).toEqual(['scan.png', 'terms.pdf'])
    await second.open()
    const state = second.conn.state
    const token = state.kind === 'open' && state.welcome.identity.kind === 'visitor' ? state.welcome.identity.token : ''
    expect((await download(live.relay, token, got[0]!.attachments![1]!.attachmentId)).bytes).toEqual(PDF)
    await until(async () => (await second.conn.outbox()).length === 0, 'outbox drained')
  })

  it('refuses a message whose file the relay refuses, and sends the next one', async () => {
    const v = visitor()
    const a = await agent()
    const convId = await openAndAccept(v, a)
    // Not an image at all: the relay sniffs the bytes and refuses it for good.
    const bad = await v.conn.send(convId, 'look', [{ name: 'x.png', type: 'image/png', data: new Blob(['<!doctype html><script>1</script>']) }])
    await v.conn.send(convId, 'next')
    await until(() => a.texts(convId).includes('next'), 'next delivered')
    expect(v.refused).toEqual([{ clientMsgId: bad.clientMsgId, code: 'PARLEY_ERR_ATTACHMENT_CONTENT' }])
    expect(a.texts(convId)).toEqual(['hello', 'next'])
  })
  it('uploads a thumbnail before the message, and sends a file whose thumbnail the relay refuses without a preview', async () => {
    const v = visitor()
    const a = await agent()
    const convId = await openAndAccept(v, a)
    const thumb = () => new Blob([new Uint8Array(pngOf(8, 6))], { type: 'image/png' })
    // A PDF takes no thumbnail (PARLEY_ERR_ATTACHMENT_TYPE): only the preview is lost.
    const entry = await v.conn.send(convId, 'two files', [
      { ...pngFile('shot.png'), thumbnail: thumb() },
      { name: 'terms.pdf', type: 'application/pdf', data: new Blob([new Uint8Array(PDF)]), thumbnail: thumb() },
    ])
    await until(() => a.messages.some((m) => m.clientMsgId === entry.clientMsgId), 'agent got the files')
    const got = a.messages.find((m) => m.clientMsgId === entry.clientMsgId)!
    expect(got.attachments!.map((r) => [r.name, r.thumbnail])).toEqual([['shot.png', true], ['terms.pdf', false]])
    expect(v.refused).toEqual([])
    const shown = await download(live.relay, live.brand.apiKey, got.attachments![0]!.attachmentId, { thumbnail: true })
    expect(shown.status).toBe(200)
  })
})
