import { createHash, randomBytes } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { AwsClient } from 'aws4fetch'
import { checkBlobKey, type BlobStore } from './blob-store.js'

// A BlobStore in an S3-compatible bucket (AWS S3, MinIO, Ceph, R2, ...), for several relays that
// share files. Requests are signed with AWS Signature V4 (aws4fetch) and sent with fetch; objects
// are addressed path-style (`<endpoint>/<bucket>/<prefix><key>`), which every such server accepts.
// An upload is first written to a local temp file (never held in memory), so the PUT carries its
// length and SHA-256 and the bucket stores it whole or not at all. What a crash left in the spool
// is deleted when the store is made (as the directory store clears its temp files).

/** The names `put` gives its spool files; only these are deleted on start. */
const SPOOL_FILE = /^[0-9a-f]{24}$/

/** Where the bucket is and how to sign for it. */
export interface S3Options {
  bucket: string
  /** Prepended to every key (e.g. `parley/`); may be empty. */
  prefix: string
  /** `https://s3.eu-west-1.amazonaws.com`, `http://127.0.0.1:9000`, ... */
  endpoint: string
  region: string
  accessKeyId: string
  secretAccessKey: string
  /** Where uploads are spooled before they are sent. */
  spoolDir: string
}

/** Reads `s3://bucket/prefix` and the PARLEY_S3_* variables; throws naming what is missing. */
export function s3OptionsFromEnv(url: string, env: NodeJS.ProcessEnv, spoolDir: string): S3Options {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(url)
  if (!m) throw new Error(`PARLEY_BLOB_URL must be s3://bucket or s3://bucket/prefix, not ${JSON.stringify(url)}`)
  const need = (name: string): string => {
    const v = env[name]
    if (!v) throw new Error(`${name} is required with PARLEY_BLOB_URL=${url}`)
    return v
  }
  const region = env.PARLEY_S3_REGION ?? 'us-east-1'
  const rawPrefix = m[2] ?? ''
  return {
    bucket: m[1]!, prefix: rawPrefix === '' || rawPrefix.endsWith('/') ? rawPrefix : `${rawPrefix}/`,
    endpoint: (env.PARLEY_S3_ENDPOINT ?? `https://s3.${region}.amazonaws.com`).replace(/\/+$/, ''), region,
    accessKeyId: need('PARLEY_S3_ACCESS_KEY_ID'), secretAccessKey: need('PARLEY_S3_SECRET_ACCESS_KEY'), spoolDir,
  }
}

/** A BlobStore in the bucket `opts` names. */
export async function createS3BlobStore(opts: S3Options): Promise<BlobStore> {
  await mkdir(opts.spoolDir, { recursive: true })
  // Nothing else writes here, but the relay only removes what it would have made.
  for (const name of await readdir(opts.spoolDir)) {
    if (SPOOL_FILE.test(name)) await rm(join(opts.spoolDir, name), { force: true })
  }
  const aws = new AwsClient({ accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey, service: 's3', region: opts.region, retries: 2 })
  const urlOf = (key: string) => {
    checkBlobKey(key)
    return `${opts.endpoint}/${opts.bucket}/${(opts.prefix + key).split('/').map(encodeURIComponent).join('/')}`
  }
  const fail = async (what: string, res: Response): Promise<never> => {
    await res.body?.cancel()
    throw new Error(`S3 ${what} answered ${res.status}`)
  }

  return {
    async put(key, body, type) {
      const url = urlOf(key)
      const tmp = join(opts.spoolDir, randomBytes(12).toString('hex'))
      const hash = createHash('sha256')
      let size = 0
      const tap = new Transform({ transform(chunk: Buffer, _enc, done) { size += chunk.length; hash.update(chunk); done(null, chunk) } })
      try {
        await pipeline(body, tap, createWriteStream(tmp, { flags: 'wx' }))
        const res = await aws.fetch(url, {
          method: 'PUT',
          headers: { 'content-type': type, 'content-length': String(size), 'x-amz-content-sha256': hash.digest('hex') },
          body: Readable.toWeb(createReadStream(tmp)) as ReadableStream,
          duplex: 'half',
        } as RequestInit)
        if (!res.ok) await fail('PUT', res)
        await res.body?.cancel()
        return size
      } finally {
        await rm(tmp, { force: true })
      }
    },
    async get(key) {
      const res = await aws.fetch(urlOf(key), { method: 'GET' })
      if (res.status === 404) { await res.body?.cancel(); return null }
      if (!res.ok || !res.body) return fail('GET', res)
      return Readable.fromWeb(res.body as import('node:stream/web').ReadableStream)
    },
    async head(key) {
      const res = await aws.fetch(urlOf(key), { method: 'HEAD' })
      if (res.status === 404) return null
      if (!res.ok) return fail('HEAD', res)
      return { size: Number(res.headers.get('content-length') ?? 0) }
    },
    async delete(key) {
      const res = await aws.fetch(urlOf(key), { method: 'DELETE' })
      if (!res.ok && res.status !== 404) await fail('DELETE', res)
      await res.body?.cancel()
    },
  }
}
