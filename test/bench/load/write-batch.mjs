// Batches the loadgen's sends per turn of the event loop: the first send on a socket in a turn
// corks it, and one microtask after the turn's handlers uncorks them all, so the frames a turn
// sends on one socket (several acks answered from one read, in saturation mode) leave in one
// write system call instead of one each. Profiled before: writev was a third of the loadgen's time.

/** A batch that corks the underlying TCP socket of each WebSocket `add`ed in this turn. */
export function createWriteBatch() {
  // Reused across turns: a fresh Set per turn would be per-turn garbage for nothing.
  const corked = []
  let scheduled = false
  const flush = () => {
    scheduled = false
    for (let k = 0; k < corked.length; k++) corked[k].uncork()
    corked.length = 0
  }
  return {
    /** Corks `tcp` (a net.Socket) until the end of this turn, once per turn. */
    add(tcp) {
      if (tcp.writableCorked > 0) return
      tcp.cork()
      corked.push(tcp)
      if (!scheduled) {
        scheduled = true
        process.nextTick(flush)
      }
    },
  }
}
