import { describe, expect, it } from 'vitest'
import { linkStatus, type ConnectionState } from '../../../../sdk/src/connection/connection.js'
import { createFakeSockets, createManualClock, welcomeFrame } from '../../../helpers/fake-socket.js'
import { createConnection, createMemoryStorage } from '../../../../sdk/src/connection/connection.js'
import { until } from '../../../helpers/until.js'

// What the widget's notice and the console's badge say for each connection state.

describe('linkStatus', () => {
  it.each<[ConnectionState, string]>([
    [{ kind: 'idle' }, 'connecting'],
    [{ kind: 'connecting', attempt: 1, reconnecting: false }, 'connecting'],
    [{ kind: 'connecting', attempt: 1, reconnecting: true }, 'reconnecting'],
    [{ kind: 'retrying', attempt: 2, at: 0, code: null }, 'reconnecting'],
    [{ kind: 'offline' }, 'offline'],
    [{ kind: 'stopped', code: 'PARLEY_ERR_AUTH_TOKEN_INVALID' }, 'stopped'],
  ])('maps %j to %s', (state, expected) => {
    expect(linkStatus(state)).toBe(expected)
  })

  it('calls the first attempt after a lost socket reconnecting, so a notice stays up through it', async () => {
    const clock = createManualClock()
    const { sockets, WebSocket } = createFakeSockets()
    const conn = createConnection({ url: 'ws://localhost/v1/live', auth: { kind: 'visitor' }, WebSocket, storage: createMemoryStorage(), clock, random: () => 0 })
    const seen: string[] = []
    conn.on('state', (s) => seen.push(linkStatus(s)))
    conn.start()
    await until(() => sockets.length === 1)
    sockets[0]!.open()
    sockets[0]!.receive(welcomeFrame())
    await until(() => conn.state.kind === 'open')
    sockets[0]!.onclose?.({ code: 1006, reason: '' })
    clock.advance(0)
    await until(() => sockets.length === 2, 'second socket')
    expect(seen).toEqual(['connecting', 'connected', 'reconnecting', 'reconnecting'])
    await conn.stop()
  })
})
