import { createServer } from 'node:net'

/**
 * A port `p` on 127.0.0.1 such that `p` and `p + 1` are both free right now: for a relay that must
 * come back on the same address after a kill (the page keeps its script URL), with the demo brand
 * site on the next port.
 */
export async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const p = await listenOnce(0)
    if (p < 65535 && (await isFree(p + 1))) return p
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

/** A port on 127.0.0.1 that is free right now. */
export function freePort(): Promise<number> {
  return listenOnce(0)
}
