import WebSocket from 'ws'
import {
  createConnection, createMemoryStorage, type Connection, type ConnectionOptions, type KeyValueStorage,
} from '@parley/sdk/connection'
import type { MessageNew, ServerFrame } from '@parley/sdk/contract'
import { until } from './until.js'

// The sdk's connection client wired to `ws`, recording what it emits, for tests against a real relay.

/** A connection client plus everything it emitted. */
export interface LiveClient {
  conn: Connection
  storage: KeyValueStorage
  messages: MessageNew[]
  frames: ServerFrame[]
  refused: { clientMsgId: string; code: string }[]
  errors: string[]
  /** Sockets this client opened, newest last (tests cut them to simulate a network drop). */
  sockets: WebSocket[]
  /** While true, new sockets fail at once, as with no network. */
  offline: boolean
  /** While set, new sockets go to this URL instead (another relay node, as a load balancer would send them). */
  redirect: string | null
  /** Resolves once the client is open (welcome received). */
  open(): Promise<void>
  /** Texts received for a conversation, in arrival order. */
  texts(convId: string): string[]
}

/** Creates (and starts) a client; `opts` override the defaults (fast backoff for tests). */
export function liveClient(opts: Pick<ConnectionOptions, 'url' | 'auth'> & Partial<ConnectionOptions> & { start?: boolean }): LiveClient {
  const sockets: WebSocket[] = []
  const client: LiveClient = {
    conn: undefined as unknown as Connection,
    storage: opts.storage ?? createMemoryStorage(),
    messages: [], frames: [], refused: [], errors: [], sockets, offline: false, redirect: null,
    open: () => until(() => client.conn.state.kind === 'open', 'connection open').then(() => undefined),
    texts: (convId) => client.messages.filter((m) => m.convId === convId).map((m) => m.text),
  }
  class TestSocket extends WebSocket {
    constructor(url: string) {
      super(client.offline ? 'ws://127.0.0.1:1/offline' : client.redirect ?? url)
      sockets.push(this)
    }
  }
  client.conn = createConnection({
    backoff: { initialMs: 20, maxMs: 200 },
    ...opts,
    storage: client.storage,
    WebSocket: TestSocket as unknown as ConnectionOptions['WebSocket'],
  })
  client.conn.on('message', ({ message }) => client.messages.push(message))
  client.conn.on('frame', (f) => client.frames.push(f))
  client.conn.on('refused', ({ entry, error }) => client.refused.push({ clientMsgId: entry.clientMsgId, code: error.code }))
  client.conn.on('error', (e) => client.errors.push(e.code))
  if (opts.start !== false) client.conn.start()
  return client
}
