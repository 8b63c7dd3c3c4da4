// The events a brand's page listens to with `Parley('on', name, fn)`, and its listeners. The
// page's handlers run inside the widget: one that throws must not break it.

/** Page events a brand can listen to with `Parley('on', name, fn)`. */
export type WidgetEvent = 'ready' | 'open' | 'close' | 'message' | 'unread' | 'identified' | 'forgotten'

/** The page's listeners, by event name. */
export class PageEvents {
  #events = new Map<string, Set<(data: unknown) => void>>()

  on(event: string, fn: (data: unknown) => void): void {
    let set = this.#events.get(event)
    if (!set) this.#events.set(event, (set = new Set()))
    set.add(fn)
  }

  off(event: string, fn: (data: unknown) => void): void {
    this.#events.get(event)?.delete(fn)
  }

  emit(event: WidgetEvent, data?: unknown): void {
    for (const fn of this.#events.get(event) ?? []) {
      try { fn(data) } catch { /* the page's handler must not break the widget */ }
    }
  }
}
