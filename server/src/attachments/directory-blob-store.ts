import { createWriteStream } from 'node:fs'
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { checkBlobKey, type BlobInfo, type BlobStore } from './blob-store.js'

// The default BlobStore: files under `<data-dir>/attachments/`. A put writes to a temp file in
// `tmp/`, fsyncs it, renames it under its key and fsyncs the directory, so a crash at any point
// leaves either no file under the key or the whole one (and perhaps a temp file, removed on start).

const TMP = '.tmp'

/** In a directory several relays share, a temp file untouched this long is a crash's leftover, not another node's upload. */
const SHARED_TMP_STALE_MS = 60 * 60 * 1000

/**
 * A BlobStore in directory `root` (created if missing). With `shared` (several relay nodes write to
 * it), start-up removes only stale temp files, never another node's upload in progress.
 */
export async function createDirectoryBlobStore(root: string, opts: { shared?: boolean } = {}): Promise<BlobStore> {
  await mkdir(join(root, TMP), { recursive: true })
  // Temp files a crash left behind: never under a real key, so nothing refers to them.
  if (opts.shared) await removeStaleTempFiles(join(root, TMP), Date.now() - SHARED_TMP_STALE_MS)
  else await rm(join(root, TMP), { recursive: true, force: true })
  await mkdir(join(root, TMP), { recursive: true })
  const pathOf = (key: string) => { checkBlobKey(key); return join(root, key) }

  async function fsyncDir(dir: string): Promise<void> {
    const h = await open(dir, 'r')
    try { await h.sync() } finally { await h.close() }
  }

  return {
    async put(key, body: Readable) {
      const target = pathOf(key)
      const tmp = join(root, TMP, `${randomBytes(12).toString('hex')}`)
      let written = 0
      const count = new Transform({ transform(chunk: Buffer, _enc, done) { written += chunk.length; done(null, chunk) } })
      const out = createWriteStream(tmp, { flags: 'wx' })
      try {
        await pipeline(body, count, out)
        const h = await open(tmp, 'r+')
        try { await h.sync() } finally { await h.close() }
        await mkdir(dirname(target), { recursive: true })
        await rename(tmp, target)
        await fsyncDir(dirname(target))
        return written
      } catch (err) {
        // A body that fails early rejects the pipeline while the temporary file is still being
        // opened: removed before the open ends, it would be created afterwards and left behind.
        if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()))
        await rm(tmp, { force: true })
        throw err
      }
    },
    async get(key) {
      const path = pathOf(key)
      try {
        const h = await open(path, 'r')
        return h.createReadStream()
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
        throw err
      }
    },
    async head(key): Promise<BlobInfo | null> {
      try {
        return { size: (await stat(pathOf(key))).size }
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
        throw err
      }
    },
    async delete(key) {
      await rm(pathOf(key), { force: true })
    },
  }
}

/** Removes the temp files last written before `before` (epoch ms). */
async function removeStaleTempFiles(dir: string, before: number): Promise<void> {
  for (const name of await readdir(dir)) {
    const path = join(dir, name)
    const info = await stat(path).catch(() => null)
    if (info && info.mtimeMs < before) await rm(path, { force: true })
  }
}
