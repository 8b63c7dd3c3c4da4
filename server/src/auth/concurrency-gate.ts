// Runs at most `inFlight` jobs at once and lets at most `queued` more wait; anything beyond is
// refused at once. Password hashing is the job: each scrypt call holds 32 MiB and tens of ms of a
// thread-pool thread, so an unbounded queue would turn a login flood into all of the relay's memory.

/** A bounded run queue. */
export interface ConcurrencyGate {
  /** Runs `job` when a slot is free; resolves null without running it when the queue is full. */
  run<T>(job: () => Promise<T>): Promise<{ value: T } | null>
  /** Runs `job` only if a slot is free now (never queued); resolves null without running it otherwise. */
  runIfFree<T>(job: () => Promise<T>): Promise<{ value: T } | null>
  /** Jobs running now. */
  readonly running: number
  /** Jobs waiting for a slot. */
  readonly waiting: number
}

/** A gate running `inFlight` jobs at once with room for `queued` more. */
export function createConcurrencyGate(inFlight: number, queued: number): ConcurrencyGate {
  let running = 0
  const waiters: (() => void)[] = []
  const release = () => {
    const next = waiters.shift()
    if (next) next()
    else running--
  }
  async function inSlot<T>(job: () => Promise<T>): Promise<{ value: T }> {
    // A slot handed over by release() keeps `running` as it is: the finishing job passes it on.
    try {
      return { value: await job() }
    } finally {
      release()
    }
  }
  return {
    get running() { return running },
    get waiting() { return waiters.length },
    async run(job) {
      if (running < inFlight) running++
      else if (waiters.length < queued) await new Promise<void>((resolve) => waiters.push(resolve))
      else return null
      return inSlot(job)
    },
    async runIfFree(job) {
      if (running >= inFlight) return null
      running++
      return inSlot(job)
    },
  }
}
