import { openSocket, waitForFrame } from './ws-socket.mjs'
import { attachJsonConversation } from './json-frames.mjs'

// Client side of baselines/raw-ws-relay.mjs. Setup mirrors Parley's (visitor's first message
// acked before the agent arrives) so each target starts measuring from the same state.

/** Opens conversation `convId` (number `index`) on the raw ws baseline; see protocols/parley.mjs. */
export async function openConversation(target, { index, convId, text }, events) {
  const setupId = `${convId}-setup`
  const visitor = await openSocket(`${target.url}/?conv=${index}&role=visitor`)
  visitor.send(JSON.stringify({ type: 'message.send', convId, clientMsgId: setupId, text: 'hello' }))
  await waitForFrame(visitor, (f) => f.type === 'message.ack' && f.clientMsgId === setupId, 'setup ack')
  const agent = await openSocket(`${target.url}/?conv=${index}&role=agent`)
  return attachJsonConversation({ visitor, agent, convId, setupId, text, events })
}
