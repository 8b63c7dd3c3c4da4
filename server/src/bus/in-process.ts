import type { Bus, BusEvent, NodeEvent } from './bus.js'

/** A bus for a single relay node: delivery is a synchronous call, in publish order. */
export function createInProcessBus(): Bus {
  const handlers = new Set<(event: BusEvent) => void>()
  const nodeHandlers = new Set<(event: NodeEvent) => void>()
  return {
    publish(event) { for (const h of handlers) h(event) },
    subscribe(handler) { handlers.add(handler); return () => { handlers.delete(handler) } },
    publishToNodes(event) { for (const h of nodeHandlers) h(event) },
    subscribeNodes(handler) { nodeHandlers.add(handler); return () => { nodeHandlers.delete(handler) } },
    // Nothing travels between nodes, so nothing can be missed.
    onGap() { return () => {} },
    async close() { handlers.clear(); nodeHandlers.clear() },
  }
}
