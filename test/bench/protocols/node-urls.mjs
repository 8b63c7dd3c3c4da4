// Which relay node each side of a conversation connects to. A single-node target has one `url`;
// a clustered one adds `peerUrl`, and then every conversation's visitor and agent are on different
// nodes, so every delivery crosses the cluster's bus. Which node takes the visitors alternates by
// conversation, so both nodes take the same share of sends (acks, store commits) and deliveries.

/** The WebSocket URLs of conversation `index`'s visitor and agent on `target` ({ url, peerUrl? }). */
export function conversationUrls(target, index) {
  if (!target.peerUrl) return { visitor: target.url, agent: target.url }
  return index % 2 === 0
    ? { visitor: target.url, agent: target.peerUrl }
    : { visitor: target.peerUrl, agent: target.url }
}
