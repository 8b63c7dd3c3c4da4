import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { text } from 'node:stream/consumers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import S3rver from 's3rver'
import type { BlobStore } from '../../server/src/attachments/blob-store.js'
import { createDirectoryBlobStore } from '../../server/src/attachments/directory-blob-store.js'
import { createS3BlobStore, s3OptionsFromEnv } from '../../server/src/attachments/s3-blob-store.js'

// One contract for every BlobStore, run against the data-directory store and against an S3 one
// talking to a real S3-compatible server (s3rver, which checks the request signatures) on loopback.

const bytes = async (s: Readable | null) => (s ? Buffer.concat(await s.toArray()) : null)

function failingStream(first: Buffer): Readable {
  let sent = false
  return new Readable({
    read() {
      if (!sent) { sent = true; this.push(first); return }
      this.destroy(new Error('client went away'))
    },
  })
}

function contract(name: string, make: () => Promise<BlobStore>) {
  describe(`${name} BlobStore`, () => {
    let blobs: BlobStore
    beforeAll(async () => { blobs = await make() })

    it('puts, heads, gets and deletes a blob; a missing key is null, and deleting it twice is fine', async () => {
      const body = Buffer.alloc(300_000, 7)
      expect(await blobs.put('b_1/att_a', Readable.from([body.subarray(0, 1000), body.subarray(1000)]), 'image/png')).toBe(body.length)
      expect(await blobs.head('b_1/att_a')).toEqual({ size: body.length })
      expect((await bytes(await blobs.get('b_1/att_a')))!.equals(body)).toBe(true)
      expect(await blobs.get('b_1/att_missing')).toBeNull()
      expect(await blobs.head('b_1/att_missing')).toBeNull()
      await blobs.delete('b_1/att_a')
      await blobs.delete('b_1/att_a')
      expect(await blobs.get('b_1/att_a')).toBeNull()
    })

    it('replaces a blob whole, and keeps a thumbnail key beside its file', async () => {
      await blobs.put('b_1/att_b', Readable.from([Buffer.from('first version')]), 'application/pdf')
      await blobs.put('b_1/att_b.png', Readable.from([Buffer.from('thumb')]), 'image/png')
      await blobs.put('b_1/att_b', Readable.from([Buffer.from('second')]), 'application/pdf')
      expect(await text((await blobs.get('b_1/att_b'))!)).toBe('second')
      expect(await text((await blobs.get('b_1/att_b.png'))!)).toBe('thumb')
    })

    it('stores nothing under the key when the stream fails midway', async () => {
      await expect(blobs.put('b_1/att_c', failingStream(Buffer.alloc(10_000, 1)), 'image/png')).rejects.toThrow('client went away')
      expect(await blobs.head('b_1/att_c')).toBeNull()
      expect(await blobs.get('b_1/att_c')).toBeNull()
    })

    it('refuses keys the relay does not make (paths, dots, empty parts)', async () => {
      for (const key of ['../etc/passwd', 'b_1/../x', 'b_1/', '/abs', 'a/b/c', 'b_1/att.PNG']) {
        await expect(blobs.put(key, Readable.from([Buffer.from('x')]), 'image/png'), key).rejects.toThrow(/not a blob key/)
        await expect(blobs.get(key), key).rejects.toThrow(/not a blob key/)
      }
    })
  })
}

const dirs: string[] = []
const tempDir = () => { const d = mkdtempSync(join(tmpdir(), 'parley-blobs-')); dirs.push(d); return d }
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }) })

contract('directory', () => createDirectoryBlobStore(tempDir()))

let s3: S3rver
let endpoint = ''
beforeAll(async () => {
  s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: tempDir(), configureBuckets: [{ name: 'parley-files', configs: [] }] })
  const addr = await s3.run()
  endpoint = `http://127.0.0.1:${addr.port}`
})
afterAll(async () => { await s3.close() })

contract('S3', () => createS3BlobStore(s3OptionsFromEnv('s3://parley-files/relay-a', {
  PARLEY_S3_ENDPOINT: endpoint, PARLEY_S3_ACCESS_KEY_ID: 'S3RVER', PARLEY_S3_SECRET_ACCESS_KEY: 'S3RVER',
}, tempDir())))

describe('S3 settings', () => {
  // s3rver reads the V4 Authorization header and checks its key id, but does not recompute V4
  // signatures: a wrong secret would pass it. The key id is what this server can refuse.
  it('fails a put the server refuses (unknown key id) and says which variable is missing', async () => {
    const wrong = await createS3BlobStore(s3OptionsFromEnv('s3://parley-files', {
      PARLEY_S3_ENDPOINT: endpoint, PARLEY_S3_ACCESS_KEY_ID: 'NOT-A-KEY', PARLEY_S3_SECRET_ACCESS_KEY: 'S3RVER',
    }, tempDir()))
    await expect(wrong.put('b_1/att_x', Readable.from([Buffer.from('x')]), 'image/png')).rejects.toThrow(/S3 PUT answered 403/)
    expect(() => s3OptionsFromEnv('s3://parley-files', {}, '/tmp')).toThrow('PARLEY_S3_ACCESS_KEY_ID is required')
    expect(() => s3OptionsFromEnv('http://x', {}, '/tmp')).toThrow(/must be s3:\/\/bucket/)
    expect(s3OptionsFromEnv('s3://b-1/p', { PARLEY_S3_ACCESS_KEY_ID: 'a', PARLEY_S3_SECRET_ACCESS_KEY: 'b', PARLEY_S3_REGION: 'eu-west-1' }, '/tmp'))
      .toMatchObject({ bucket: 'b-1', prefix: 'p/', endpoint: 'https://s3.eu-west-1.amazonaws.com', region: 'eu-west-1' })
  })
})

describe('S3 BlobStore after a crash', () => {
  it('empties its spool of what a crash left there when it starts, and stores whole files after', async () => {
    const spool = tempDir()
    // What a crash mid-upload leaves: a spool file (named as put names them) that is never sent.
    writeFileSync(join(spool, 'a1b2c3d4e5f6a1b2c3d4e5f6'), Buffer.alloc(50_000, 5))
    writeFileSync(join(spool, '0123456789abcdef01234567'), Buffer.alloc(10, 5))
    writeFileSync(join(spool, 'README'), 'not ours')
    const blobs = await createS3BlobStore(s3OptionsFromEnv('s3://parley-files/relay-b', {
      PARLEY_S3_ENDPOINT: endpoint, PARLEY_S3_ACCESS_KEY_ID: 'S3RVER', PARLEY_S3_SECRET_ACCESS_KEY: 'S3RVER',
    }, spool))
    expect(readdirSync(spool)).toEqual(['README'])
    await blobs.put('b_1/att_after', Readable.from([Buffer.from('after')]), 'image/png')
    expect(await text((await blobs.get('b_1/att_after'))!)).toBe('after')
    expect(readdirSync(spool)).toEqual(['README'])
  })
})

describe('directory BlobStore after a crash', () => {
  it('shows no partial file: a temp file a crash left is never under a key, and is cleared on start', async () => {
    const root = tempDir()
    const blobs = await createDirectoryBlobStore(root)
    await blobs.put('b_1/att_whole', Readable.from([Buffer.from('whole')]), 'image/png')
    // What a crash mid-put leaves: bytes in the temp directory, nothing under the key.
    writeFileSync(join(root, '.tmp', 'crashed-upload'), Buffer.alloc(5000, 3))
    mkdirSync(join(root, 'b_1'), { recursive: true })
    const again = await createDirectoryBlobStore(root)
    expect(readdirSync(join(root, '.tmp'))).toEqual([])
    expect(readdirSync(join(root, 'b_1'))).toEqual(['att_whole'])
    expect(await text((await again.get('b_1/att_whole'))!)).toBe('whole')
  })

  it('writes under the key only once the whole file is in: a failed put leaves no file under it and no temp file', async () => {
    const root = tempDir()
    const blobs = await createDirectoryBlobStore(root)
    await expect(blobs.put('b_1/att_cut', failingStream(Buffer.alloc(70_000, 1)), 'image/png')).rejects.toThrow()
    expect(readdirSync(join(root, '.tmp'))).toEqual([])
    expect(await blobs.head('b_1/att_cut')).toBeNull()
  })
})
