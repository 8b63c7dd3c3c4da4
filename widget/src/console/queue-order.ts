import { PRIORITIES, type Priority, type QueueEntry, type Routing } from '@parley/sdk/contract'

// The order the console keeps its queue in, as the relay lists it (`queue.list` with `order`), so
// entries that arrive one by one (conversation.opened) land where a fresh listing would put them.

/** How the queue is ordered: highest priority first, then longest waiting; or newest first. */
export type QueueOrder = 'priority' | 'newest'

/** A conversation's priority; one the pre-chat answers did not set is `normal`, like the relay's default. */
export function priorityOf(routing: Routing | null | undefined): Priority {
  return routing?.priority ?? 'normal'
}

/** Sorts `entries` in place in `order` and returns them (ties by id, so every console agrees). */
export function sortQueue(entries: QueueEntry[], order: QueueOrder): QueueEntry[] {
  const rank = (e: QueueEntry) => PRIORITIES.indexOf(priorityOf(e.routing))
  return entries.sort((x, y) => (order === 'newest'
    ? y.createdAt - x.createdAt
    : rank(y) - rank(x) || x.createdAt - y.createdAt) || (x.convId < y.convId ? -1 : x.convId > y.convId ? 1 : 0))
}
