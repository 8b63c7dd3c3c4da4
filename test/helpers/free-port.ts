import { randomInt } from 'node:crypto'
import { createServer } from 'node:net'

// The kernel hands out ports for `listen(0)` and for the local end of every outgoing connection
// from its ephemeral range (Linux's default 32768–60999). A port probed free inside that range can be
// taken by any test's connection before the relay binds it: with two test files at a time a demo
// relay failed with EADDRINUSE that way. So ports are chosen below the range, where only an explicit
// bind can land, at random so parallel test files rarely probe the same one.
const LOWEST = 20_000
const HIGHEST = 32_766

/**
 * A port `p` on 127.0.0.1 such that `p` and `p + 1` are both free right now: for a relay that must
 * come back on the same address after a kill (the page keeps its script URL), with the demo brand
 * site on the next port.
 */
export async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const p = randomInt(LOWEST, HIGHEST)
    if ((await isFree(p)) && (await isFree(p + 1))) return p
  }
  throw new Error('no two consecutive free ports found')
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(port, '127.0.0.1', () => {
      const addr = s.address()
      const p = typeof addr === 'object' && addr ? addr.port : 0
      s.close(() => resolve(p))
    })
  })
}

function isFree(port: number): Promise<boolean> {
  return listenOnce(port).then(() => true, () => false)
}

/** A port on 127.0.0.1 that is free right now (below the ephemeral range, as freePortPair's). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const p = randomInt(LOWEST, HIGHEST + 1)
    if (await isFree(p)) return p
  }
  throw new Error('no free port found')
}
