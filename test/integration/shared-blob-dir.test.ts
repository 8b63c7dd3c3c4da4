import { existsSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { blobStoreFromEnv } from '../../server/src/attachments/blob-store-config.js'
import { tempDir } from '../helpers/temp-dir.js'

// PARLEY_BLOB_URL=file:///dir: one attachments directory several relay nodes share. A node that
// starts must not sweep away another node's upload in progress, only a crash's stale leftovers.

describe('a shared attachments directory', () => {
  const shared = tempDir('parley-shared-blobs-')
  const nodeDirs = [tempDir(), tempDir()]
  afterAll(() => { shared.remove(); for (const d of nodeDirs) d.remove() })
  const env = { PARLEY_BLOB_URL: pathToFileURL(shared.dir).href }

  it('keeps a file one node stored where another node reads it', async () => {
    const a = await blobStoreFromEnv(nodeDirs[0]!.dir, env)
    const b = await blobStoreFromEnv(nodeDirs[1]!.dir, env)
    await a.put('b_1/att_1', Readable.from([Buffer.from('receipt')]), 'text/plain')
    expect(await b.head('b_1/att_1')).toEqual({ size: 7 })
    expect(existsSync(join(nodeDirs[0]!.dir, 'attachments'))).toBe(false)
  })

  it('removes only stale temp files when a node starts', async () => {
    const tmp = join(shared.dir, '.tmp')
    mkdirSync(tmp, { recursive: true })
    writeFileSync(join(tmp, 'in-progress'), 'another node is writing this')
    writeFileSync(join(tmp, 'left-by-a-crash'), 'nobody refers to this')
    const twoHoursAgo = (Date.now() - 2 * 60 * 60 * 1000) / 1000
    utimesSync(join(tmp, 'left-by-a-crash'), twoHoursAgo, twoHoursAgo)
    await blobStoreFromEnv(nodeDirs[1]!.dir, env)
    expect(existsSync(join(tmp, 'in-progress'))).toBe(true)
    expect(existsSync(join(tmp, 'left-by-a-crash'))).toBe(false)
  })
})
