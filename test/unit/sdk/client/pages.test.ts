import { describe, expect, it } from 'vitest'
import { PagedList } from '../../../../sdk/src/client/pages.js'

// A list over three pages of a plain array, recording which cursors were fetched.
function numbers(fetched: (string | undefined)[]) {
  const pages: Record<string, { items: number[]; next: string | null }> = {
    first: { items: [1, 2], next: 'b' }, b: { items: [3, 4], next: 'c' }, c: { items: [5], next: null },
  }
  return new PagedList<number, { items: number[]; next: string | null }>({
    fetch: async (cursor) => {
      fetched.push(cursor)
      return pages[cursor ?? 'first']!
    },
    items: (p) => p.items,
    next: (p) => p.next,
  })
}

describe('PagedList', () => {
  it('fetches nothing until it is iterated', () => {
    const fetched: (string | undefined)[] = []
    numbers(fetched)
    expect(fetched).toEqual([])
  })

  it('walks every item of every page in order, passing each page\'s cursor on', async () => {
    const fetched: (string | undefined)[] = []
    const seen: number[] = []
    for await (const n of numbers(fetched)) seen.push(n)
    expect(seen).toEqual([1, 2, 3, 4, 5])
    expect(fetched).toEqual([undefined, 'b', 'c'])
  })

  it('fetches no further page once the loop breaks', async () => {
    const fetched: (string | undefined)[] = []
    for await (const n of numbers(fetched)) if (n === 2) break
    expect(fetched).toEqual([undefined])
    expect(await numbers([]).toArray(3)).toEqual([1, 2, 3])
    const some: (string | undefined)[] = []
    await numbers(some).toArray(3)
    expect(some).toEqual([undefined, 'b'])
  })

  it('yields the pages themselves with pages()', async () => {
    const sizes: number[] = []
    for await (const p of numbers([]).pages()) sizes.push(p.items.length)
    expect(sizes).toEqual([2, 2, 1])
    expect(await numbers([]).toArray(0)).toEqual([])
  })
})
