import { createWriteStream } from 'node:fs'
import { createServer } from 'node:net'
import WebSocket from 'ws'

// Reads a relay's memory from outside, through the V8 inspector of a relay started with
// `inspectorArgs()` on its command line (bound to the loopback address): forced full GCs,
// `process.memoryUsage()` read inside the relay, and heap snapshots. The relay itself gets no
// bench-only code path; the inspector is a Node flag given only by the bench. Only the main
// thread's isolate is reached; worker threads keep their own heaps (counted in the process's RSS
// all the same).

/**
 * A free loopback port and the Node flag that opens the inspector on it (the relay cannot report
 * the port of `--inspect=0` on stdout).
 */
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

/**
 * Connects to the inspector on `port` and resolves with { collectGarbage(), memoryUsage(),
 * memory(), objectBytes(), snapshot(file), close() }: `collectGarbage()` runs one full GC;
 * `memoryUsage()` returns the relay's `process.memoryUsage()` as it is; `memory()` runs a full GC
 * twice (the second frees what the first's finalizers released) and then returns it;
 * `objectBytes()` takes a heap snapshot (itself a full GC) and sums its objects' sizes, compiled
 * code apart; `snapshot(file)` writes one there.
 */
export async function connectInspector(port) {
  const targets = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()
  const url = targets[0]?.webSocketDebuggerUrl
  if (!url) throw new Error(`inspector on port ${port} lists no target`)
  // No payload limit: the peer is the bench's own relay on loopback, and its replies grow with its heap.
  const socket = new WebSocket(url, { perMessageDeflate: false, maxPayload: 0 })
  await new Promise((resolve, reject) => {
    socket.once('open', resolve)
    socket.once('error', reject)
  })
  let nextId = 1
  const pending = new Map()
  let onChunk = null
  socket.on('message', (data) => {
    const msg = JSON.parse(data)
    if (msg.method === 'HeapProfiler.addHeapSnapshotChunk') {
      onChunk?.(msg.params.chunk)
      return
    }
    const waiter = pending.get(msg.id)
    if (!waiter) return
    pending.delete(msg.id)
    if (msg.error) waiter.reject(new Error(`inspector: ${msg.error.message}`))
    else waiter.resolve(msg.result)
  })
  const call = (method, params = {}) => new Promise((resolve, reject) => {
    const id = nextId++
    pending.set(id, { resolve, reject })
    socket.send(JSON.stringify({ id, method, params }))
  })
  const collectGarbage = () => call('HeapProfiler.collectGarbage')
  const memoryUsage = async () => {
    const { result } = await call('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true })
    return JSON.parse(result.value)
  }
  return {
    collectGarbage,
    memoryUsage,
    async memory() {
      await collectGarbage()
      await collectGarbage()
      return memoryUsage()
    },
    async snapshot(file) {
      const out = createWriteStream(file)
      onChunk = (chunk) => out.write(chunk)
      try {
        await call('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
      } finally {
        onChunk = null
        await new Promise((resolve) => out.end(resolve))
      }
    },
    async objectBytes() {
      const chunks = []
      onChunk = (chunk) => chunks.push(chunk)
      try {
        await call('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
      } finally {
        onChunk = null
      }
      return sumObjectBytes(JSON.parse(chunks.join('')))
    },
    close() {
      socket.close()
    },
  }
}

// Compiled code (bytecode, optimised code, feedback) comes and goes as V8 tiers functions up and
// flushes idle ones: between two readings of an otherwise unchanged relay it moved by 0.3–0.5 MB,
// more than what is measured. Objects are summed apart from it.
function sumObjectBytes(snapshot) {
  const { node_fields: fields, node_types: [types] } = snapshot.snapshot.meta
  const stride = fields.length
  const typeAt = fields.indexOf('type')
  const sizeAt = fields.indexOf('self_size')
  const code = types.indexOf('code')
  const { nodes } = snapshot
  let objects = 0
  let compiled = 0
  for (let i = 0; i < nodes.length; i += stride) {
    if (nodes[i + typeAt] === code) compiled += nodes[i + sizeAt]
    else objects += nodes[i + sizeAt]
  }
  return { objects, code: compiled }
}
