import { PROTOCOL_VERSION } from '@parley/sdk/contract'
import { openSocket, waitForFrame } from './ws-socket.mjs'
import { attachJsonConversation } from './json-frames.mjs'
import { conversationUrls } from './node-urls.mjs'

// Client side of Parley's live protocol, as the widget and console speak it: hello/welcome, the
// visitor's first message opens the conversation, then an agent joins it. On a two-node target the
// visitor and the agent connect to different nodes (node-urls.mjs).

/**
 * Opens conversation `convId` on Parley and resolves once the visitor's first message is acked
 * and an agent connection has joined. `target` is what parley-target.mjs handed the loadgen
 * ({ url, peerUrl?, siteKey, origin, agentTokens }); connection `index` uses agent token index % count.
 */
export async function openConversation(target, { index, convId, text }, events) {
  const setupId = `${convId}-setup`
  const urls = conversationUrls(target, index)
  const visitor = await openSocket(`${urls.visitor}?site=${encodeURIComponent(target.siteKey)}`, { origin: target.origin })
  visitor.send(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, auth: { kind: 'visitor' } }))
  await waitForFrame(visitor, (f) => f.type === 'welcome', 'visitor welcome')
  visitor.send(JSON.stringify({ type: 'message.send', convId, clientMsgId: setupId, text: 'hello' }))
  await waitForFrame(visitor, (f) => f.type === 'message.ack' && f.clientMsgId === setupId, 'first message ack')

  const token = target.agentTokens[index % target.agentTokens.length]
  const agent = await openSocket(urls.agent, { origin: target.origin })
  agent.send(JSON.stringify({ type: 'hello', protocol: PROTOCOL_VERSION, auth: { kind: 'agent', token } }))
  await waitForFrame(agent, (f) => f.type === 'welcome', 'agent welcome')
  agent.send(JSON.stringify({ type: 'conversation.join', convId }))
  await waitForFrame(agent, (f) => f.type === 'conversation.joined' && f.convId === convId, 'conversation.joined')
  return attachJsonConversation({ visitor, agent, convId, setupId, text, events })
}
