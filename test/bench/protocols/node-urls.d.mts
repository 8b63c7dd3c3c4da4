/** The WebSocket URLs of conversation `index`'s visitor and agent on `target` ({ url, peerUrl? }). */
export function conversationUrls(target: { url: string; peerUrl?: string }, index: number): { visitor: string; agent: string }
