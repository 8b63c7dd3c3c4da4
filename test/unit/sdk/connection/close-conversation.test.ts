import { describe, expect, it } from 'vitest'
import { createConnection, createMemoryStorage } from '../../../../sdk/src/connection/connection.js'
import { createFakeSockets, createManualClock, welcomeFrame } from '../../../helpers/fake-socket.js'
import { until } from '../../../helpers/until.js'

// A visitor ends their chat with closeConversation: the frame goes while the connection is open,
// and is never queued for later (a chat ended offline would close long after the visitor moved on).

describe('closeConversation', () => {
  it('sends conversation.close while the connection is open', async () => {
    const { sockets, WebSocket } = createFakeSockets()
    const conn = createConnection({ url: 'ws://localhost/v1/live', auth: { kind: 'visitor' }, WebSocket, storage: createMemoryStorage(), clock: createManualClock() })
    conn.start()
    await until(() => sockets.length === 1, 'socket')
    sockets[0]!.open()
    sockets[0]!.receive(welcomeFrame())
    await until(() => conn.state.kind === 'open', 'open')
    expect(conn.closeConversation('c1')).toBe(true)
    expect(sockets[0]!.sent.filter((f) => f.type === 'conversation.close')).toEqual([{ type: 'conversation.close', convId: 'c1' }])
  })

  it('sends nothing and says so before the connection is open', async () => {
    const { sockets, WebSocket } = createFakeSockets()
    const conn = createConnection({ url: 'ws://localhost/v1/live', auth: { kind: 'visitor' }, WebSocket, storage: createMemoryStorage(), clock: createManualClock() })
    conn.start()
    await until(() => sockets.length === 1, 'socket')
    expect(conn.closeConversation('c1')).toBe(false)
    expect(sockets[0]!.sent).toEqual([])
  })
})
