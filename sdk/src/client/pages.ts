// Paginated lists as async iterables: `for await (const c of parley.conversations.list())` walks every
// item across pages, fetching each page only when the one before is used up; `.pages()` walks the
// pages themselves. Nothing is fetched until iteration starts.

/** How to fetch one page and find its items and the cursor of the next (null: last page). */
export interface PageSource<Item, Page, Cursor> {
  fetch(cursor: Cursor | undefined): Promise<Page>
  items(page: Page): readonly Item[]
  next(page: Page): Cursor | null
}

/** A list that is fetched page by page as it is iterated. */
export class PagedList<Item, Page, Cursor = string> implements AsyncIterable<Item> {
  readonly #source: PageSource<Item, Page, Cursor>

  constructor(source: PageSource<Item, Page, Cursor>) {
    this.#source = source
  }

  /** Every page in order, as the relay answered it. */
  async *pages(): AsyncGenerator<Page, void, undefined> {
    let cursor: Cursor | undefined
    for (;;) {
      const page = await this.#source.fetch(cursor)
      yield page
      const next = this.#source.next(page)
      if (next === null) return
      cursor = next
    }
  }

  /** Every item of every page, in order. */
  async *[Symbol.asyncIterator](): AsyncGenerator<Item, void, undefined> {
    for await (const page of this.pages()) yield* this.#source.items(page)
  }

  /** The first `max` items (default: all) in an array. */
  async toArray(max = Infinity): Promise<Item[]> {
    const out: Item[] = []
    if (max <= 0) return out
    for await (const item of this) {
      out.push(item)
      if (out.length >= max) break
    }
    return out
  }
}
