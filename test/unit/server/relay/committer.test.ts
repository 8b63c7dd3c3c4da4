import { describe, expect, it } from 'vitest'
import { createCommitter } from '../../../../server/src/relay/committer.js'
import type { AppendRequest, AppendResult, Store } from '../../../../server/src/store/store.js'

/**
 * A store with only the one method the committer calls: it records each batch and answers with
 * consecutive seqs, or fails every batch while `failing` is set. `hold` makes commits wait until
 * released, to append while a commit is running.
 */
class RecordingStore {
  readonly batches: string[][] = []
  failing = false
  #seq = 0
  #held: (() => void)[] | null = null
  #onHeld: (() => void) | null = null

  hold(): void { this.#held = [] }
  release(): void { const held = this.#held ?? []; this.#held = null; for (const go of held) go() }
  /** Resolves once a commit is waiting in `hold`. */
  whenHeld(): Promise<void> {
    return this.#held && this.#held.length > 0 ? Promise.resolve() : new Promise((resolve) => { this.#onHeld = resolve })
  }

  async appendMessages(batch: readonly AppendRequest[]): Promise<AppendResult[]> {
    if (this.#held) {
      await new Promise<void>((resolve) => { this.#held!.push(resolve); this.#onHeld?.() })
    }
    this.batches.push(batch.map((r) => r.clientMsgId))
    if (this.failing) throw new Error('disk full')
    return batch.map((r) => ({
      ok: true, duplicate: false, visitorId: 'v_1', opened: null,
      message: { brandId: r.brandId, convId: r.convId, seq: ++this.#seq, clientMsgId: r.clientMsgId, from: r.from, text: r.text, at: r.at },
    }))
  }

  /** The committer's view of this object: it needs no other Store method. */
  asStore(): Store { return this as unknown as Store }
}

const request = (clientMsgId: string): AppendRequest => ({
  brandId: 'b_1', convId: 'c_1', clientMsgId, from: { kind: 'visitor', id: 'v_1' }, text: 'hi', at: 1, context: null,
})

/** Appends `ids` and resolves with each callback's outcome, in the order the callbacks ran. */
function appendAll(committer: ReturnType<typeof createCommitter>, ids: string[]): Promise<{ id: string; result: AppendResult | Error }[]> {
  const outcomes: { id: string; result: AppendResult | Error }[] = []
  return new Promise((resolve) => {
    for (const id of ids) {
      committer.append(request(id), (result) => {
        outcomes.push({ id, result })
        if (outcomes.length === ids.length) resolve(outcomes)
      })
    }
  })
}

describe('createCommitter', () => {
  it('commits appends made in the same turn in one store call', async () => {
    const store = new RecordingStore()
    await appendAll(createCommitter(store.asStore()), ['m1', 'm2', 'm3'])
    expect(store.batches).toEqual([['m1', 'm2', 'm3']])
  })

  it('runs the callbacks in request order, each with its own result', async () => {
    const store = new RecordingStore()
    const outcomes = await appendAll(createCommitter(store.asStore()), ['m1', 'm2', 'm3'])
    expect(outcomes.map((o) => [o.id, (o.result as Extract<AppendResult, { ok: true }>).message.clientMsgId, (o.result as Extract<AppendResult, { ok: true }>).message.seq]))
      .toEqual([['m1', 'm1', 1], ['m2', 'm2', 2], ['m3', 'm3', 3]])
  })

  it('gathers appends that arrive during a commit into the next batch', async () => {
    const store = new RecordingStore()
    const committer = createCommitter(store.asStore())
    store.hold()
    const first = appendAll(committer, ['m1'])
    await store.whenHeld()
    const second = appendAll(committer, ['m2', 'm3', 'm4'])
    store.release()
    await Promise.all([first, second])
    expect(store.batches).toEqual([['m1'], ['m2', 'm3', 'm4']])
  })

  it('answers no request before its batch has committed', async () => {
    const store = new RecordingStore()
    const committer = createCommitter(store.asStore())
    store.hold()
    const answered: string[] = []
    committer.append(request('m1'), () => answered.push('m1'))
    await store.whenHeld()
    expect(answered).toEqual([])
    store.release()
    await committer.drain()
    expect(answered).toEqual(['m1'])
  })

  it('splits a queue longer than maxBatch into several commits, in order', async () => {
    const store = new RecordingStore()
    await appendAll(createCommitter(store.asStore(), { maxBatch: 2 }), ['m1', 'm2', 'm3', 'm4', 'm5'])
    expect(store.batches).toEqual([['m1', 'm2'], ['m3', 'm4'], ['m5']])
  })

  it('gives every request of a failed batch an Error and no result', async () => {
    const store = new RecordingStore()
    store.failing = true
    const outcomes = await appendAll(createCommitter(store.asStore()), ['m1', 'm2', 'm3'])
    expect(outcomes.map((o) => [o.id, o.result instanceof Error])).toEqual([['m1', true], ['m2', true], ['m3', true]])
  })

  it('keeps committing after a batch failed', async () => {
    const store = new RecordingStore()
    const committer = createCommitter(store.asStore())
    store.failing = true
    await appendAll(committer, ['m1'])
    store.failing = false
    const [outcome] = await appendAll(committer, ['m2'])
    expect(outcome!.result).toMatchObject({ ok: true, message: { clientMsgId: 'm2' } })
  })

  it('counts only committed batches and messages in stats', async () => {
    const store = new RecordingStore()
    const committer = createCommitter(store.asStore())
    await appendAll(committer, ['m1', 'm2'])
    store.failing = true
    await appendAll(committer, ['m3'])
    expect(committer.stats()).toEqual({ batches: 1, messages: 2 })
  })

  it('drains: resolves once everything queued so far has been answered', async () => {
    const store = new RecordingStore()
    const committer = createCommitter(store.asStore())
    const answered: string[] = []
    for (const id of ['m1', 'm2', 'm3']) committer.append(request(id), () => answered.push(id))
    await committer.drain()
    expect(answered).toEqual(['m1', 'm2', 'm3'])
  })

  it('drains at once when nothing is queued', async () => {
    await expect(createCommitter(new RecordingStore().asStore()).drain()).resolves.toBeUndefined()
  })

  it('hands the next batch to the store before running the callbacks of the batch just committed', async () => {
    const store = new RecordingStore()
    const events: string[] = []
    const inner = store.appendMessages.bind(store)
    store.appendMessages = async (batch) => {
      events.push(`store ${batch.map((r) => r.clientMsgId).join(',')}`)
      return inner(batch)
    }
    const committer = createCommitter(store.asStore())
    store.hold()
    committer.append(request('m1'), () => events.push('ack m1'))
    await store.whenHeld()
    committer.append(request('m2'), () => events.push('ack m2'))
    committer.append(request('m3'), () => events.push('ack m3'))
    store.release()
    await committer.drain()
    expect(events).toEqual(['store m1', 'store m2,m3', 'ack m1', 'ack m2', 'ack m3'])
  })

  it('reports a callback that throws and still runs the others', async () => {
    const store = new RecordingStore()
    const reported: unknown[] = []
    const committer = createCommitter(store.asStore(), { onCallbackError: (err) => reported.push(err) })
    const ran: string[] = []
    committer.append(request('m1'), () => { throw new Error('boom') })
    committer.append(request('m2'), () => ran.push('m2'))
    await committer.drain()
    expect(ran).toEqual(['m2'])
    expect(reported).toHaveLength(1)
    expect((reported[0] as Error).message).toBe('boom')
  })

  it('hands a second batch to the store while the first commits, and holds a third until one is answered', async () => {
    const store = new RecordingStore()
    const committer = createCommitter(store.asStore(), { maxInFlight: 2 })
    const calls: string[][] = []
    const inner = store.appendMessages.bind(store)
    store.appendMessages = (batch) => { calls.push(batch.map((r) => r.clientMsgId)); return inner(batch) }
    store.hold()
    committer.append(request('m1'), () => {})
    await store.whenHeld()
    committer.append(request('m2'), () => {})
    await new Promise((resolve) => setImmediate(resolve))
    committer.append(request('m3'), () => {})
    await new Promise((resolve) => setImmediate(resolve))
    expect(calls).toEqual([['m1'], ['m2']])
    store.release()
    await committer.drain()
    expect(calls).toEqual([['m1'], ['m2'], ['m3']])
    expect(store.batches).toEqual([['m1'], ['m2'], ['m3']])
  })
})
