import { isIP } from 'node:net'

// A tiny MaxMind DB (.mmdb) writer for tests, so GeoIP lookups run against a real database file
// read by the real reader. The format (MaxMind DB spec 2.0): a binary search tree over the
// address bits (24-bit records: two per 6-byte node), 16 zero bytes, a data section of typed
// values, then the metadata marker and the metadata map. Only what the tests need: maps, strings,
// unsigned integers and arrays; IPv4 networks, stored in an IPv6 tree under ::/96 as GeoLite2 does.

type Value = string | number | Value[] | { [key: string]: Value }

const METADATA_MARKER = Buffer.from('abcdef4d61784d696e642e636f6d', 'hex')

function control(type: number, size: number): Buffer {
  const ext = type > 7
  const head = (ext ? 0 : type) << 5
  let sizeBits: number
  let sizeBytes: Buffer
  if (size < 29) { sizeBits = size; sizeBytes = Buffer.alloc(0) }
  else if (size < 285) { sizeBits = 29; sizeBytes = Buffer.from([size - 29]) }
  else if (size < 65_821) { sizeBits = 30; sizeBytes = Buffer.alloc(2); sizeBytes.writeUInt16BE(size - 285) }
  else throw new Error('value too large for this writer')
  return Buffer.concat([Buffer.from([head | sizeBits]), ext ? Buffer.from([type - 7]) : Buffer.alloc(0), sizeBytes])
}

/** One value in the data section's encoding. */
export function encodeValue(v: Value): Buffer {
  if (typeof v === 'string') {
    const bytes = Buffer.from(v, 'utf8')
    return Buffer.concat([control(2, bytes.length), bytes])
  }
  if (typeof v === 'number') {
    if (!Number.isSafeInteger(v) || v < 0 || v > 0xffffffff) throw new Error(`unsupported number ${v}`)
    const bytes = Buffer.alloc(4)
    bytes.writeUInt32BE(v)
    const trimmed = bytes.subarray(bytes.findIndex((b) => b !== 0) === -1 ? 4 : bytes.findIndex((b) => b !== 0))
    return Buffer.concat([control(6, trimmed.length), trimmed])
  }
  if (Array.isArray(v)) return Buffer.concat([control(11, v.length), ...v.map(encodeValue)])
  const entries = Object.entries(v)
  return Buffer.concat([control(7, entries.length), ...entries.flatMap(([k, x]) => [encodeValue(k), encodeValue(x)])])
}

interface TreeNode { children: [TreeNode | number | null, TreeNode | number | null] }

/** The address bits of an IPv4 network `a.b.c.d/len`, placed under ::/96. */
function networkBits(cidr: string): number[] {
  const [addr, lenText] = cidr.split('/')
  if (isIP(addr!) !== 4) throw new Error(`IPv4 networks only: ${cidr}`)
  const len = Number(lenText ?? 32)
  const bits = new Array<number>(96).fill(0)
  for (const octet of addr!.split('.').map(Number)) for (let i = 7; i >= 0; i--) bits.push((octet >> i) & 1)
  return bits.slice(0, 96 + len)
}

/** A .mmdb database mapping each IPv4 network (CIDR) to its record. */
export function writeMmdb(networks: Record<string, Value>, databaseType = 'Parley-Test-Country'): Buffer {
  const data: Buffer[] = []
  let dataSize = 0
  const root: TreeNode = { children: [null, null] }
  // Shorter networks first, so a longer one inside them splits their leaf instead of being overwritten.
  const byLength = Object.entries(networks).sort(([a], [b]) => networkBits(a).length - networkBits(b).length)
  for (const [cidr, record] of byLength) {
    const offset = dataSize
    const encoded = encodeValue(record)
    data.push(encoded)
    dataSize += encoded.length
    const bits = networkBits(cidr)
    let node = root
    for (let i = 0; i < bits.length - 1; i++) {
      const b = bits[i]!
      const cur = node.children[b]
      // A network inside a shorter one splits its leaf: both halves keep the shorter one's record.
      const next: TreeNode = typeof cur === 'number' ? { children: [cur, cur] } : cur ?? { children: [null, null] }
      node.children[b] = next
      node = next
    }
    node.children[bits.at(-1)!] = offset
  }
  // Number the nodes breadth first; a record holds a node number, nodeCount (no data) or a data pointer.
  const order: TreeNode[] = [root]
  for (let i = 0; i < order.length; i++) for (const c of order[i]!.children) if (c !== null && typeof c === 'object') order.push(c)
  const nodeCount = order.length
  const index = new Map(order.map((n, i) => [n, i]))
  const tree = Buffer.alloc(nodeCount * 6)
  order.forEach((n, i) => {
    n.children.forEach((c, side) => {
      const value = c === null ? nodeCount : typeof c === 'number' ? nodeCount + 16 + c : index.get(c)!
      tree.writeUIntBE(value, i * 6 + side * 3, 3)
    })
  })
  const metadata = encodeValue({
    binary_format_major_version: 2, binary_format_minor_version: 0, build_epoch: 1_700_000_000,
    database_type: databaseType, description: { en: 'Parley test database' }, ip_version: 6, languages: ['en'],
    node_count: nodeCount, record_size: 24,
  })
  return Buffer.concat([tree, Buffer.alloc(16), ...data, METADATA_MARKER, metadata])
}
