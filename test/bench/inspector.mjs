import { createServer } from 'node:net'
import WebSocket from 'ws'

// A relay's own view of its memory, through the V8 inspector it was started with
// (`inspectorArgs()` on its command line, bound to the loopback address): a full garbage collection
// on request, so a figure taken after it counts what is live rather than what the collector has not
// reached yet, and `process.memoryUsage()` read inside the relay. Only the main thread's isolate is
// reached; worker threads keep their own heaps (counted in the process's RSS all the same).

/** A free loopback port and the Node flag that opens the inspector on it. */
export async function inspectorArgs() {
  const port = await new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port: p } = server.address()
      server.close(() => resolve(p))
    })
  })
  return { port, args: [`--inspect=127.0.0.1:${port}`] }
}

/** Connects to the inspector on `port`; resolves with { collectGarbage(), memoryUsage(), close() }. */
export async function connectInspector(port) {
  const list = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()
  const socket = new WebSocket(list[0].webSocketDebuggerUrl, { perMessageDeflate: false })
  await new Promise((resolve, reject) => {
    socket.once('open', resolve)
    socket.once('error', reject)
  })
  let nextId = 1
  const pending = new Map()
  socket.on('message', (data) => {
    const reply = JSON.parse(data)
    const waiter = pending.get(reply.id)
    if (!waiter) return
    pending.delete(reply.id)
    if (reply.error) waiter.reject(new Error(`inspector: ${reply.error.message}`))
    else waiter.resolve(reply.result)
  })
  const call = (method, params = {}) => new Promise((resolve, reject) => {
    const id = nextId++
    pending.set(id, { resolve, reject })
    socket.send(JSON.stringify({ id, method, params }))
  })
  return {
    collectGarbage: () => call('HeapProfiler.collectGarbage'),
    async memoryUsage() {
      const { result } = await call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true })
      return JSON.parse(result.value)
    },
    close: () => socket.close(),
  }
}
