import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { WebSocket } from 'ws'

// A WebSocket connection outlives the HTTP request it was upgraded from by hours, and an idle
// visitor's connection is mostly that request: its headers, Fastify's Request and Reply, their
// logger, the ServerResponse and its stream state. Two references keep all of it for the whole
// connection: @fastify/websocket's 'error' listener on the socket, which closes over the request
// and reply only to log the error and terminate, and the TCP socket's `_httpMessage`, which still
// points at the response (the plugin assigned it and a hijacked reply never finishes to detach it).

/**
 * Lets go of the upgrade's request and response once `ws` is handed to its session: detaches the
 * response from `tcp`, and replaces the plugin's error listener by `onError`, which must do what it
 * did (log and terminate) without them.
 */
export function releaseUpgrade(ws: WebSocket, tcp: Socket, response: ServerResponse, onError: (this: WebSocket, err: Error) => void): void {
  response.detachSocket(tcp)
  ws.removeAllListeners('error')
  ws.on('error', onError)
}
