import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BlobStore } from './blob-store.js'
import { createDirectoryBlobStore } from './directory-blob-store.js'
import { createS3BlobStore, s3OptionsFromEnv } from './s3-blob-store.js'

// Which BlobStore the relay uses: PARLEY_BLOB_URL=s3://bucket/prefix for an S3-compatible bucket
// (with PARLEY_S3_ENDPOINT, PARLEY_S3_REGION, PARLEY_S3_ACCESS_KEY_ID, PARLEY_S3_SECRET_ACCESS_KEY),
// PARLEY_BLOB_URL=file:///dir for a directory several relay nodes share (a network mount), else
// `<data-dir>/attachments`, which only this node sees.

/** The BlobStore the environment names, for a relay whose data directory is `dataDir`. */
export async function blobStoreFromEnv(dataDir: string, env: NodeJS.ProcessEnv): Promise<BlobStore> {
  const url = env.PARLEY_BLOB_URL
  if (url?.startsWith('file:')) return createDirectoryBlobStore(fileURLToPath(url), { shared: true })
  if (url && url !== '') return createS3BlobStore(s3OptionsFromEnv(url, env, join(dataDir, 'attachments-spool')))
  return createDirectoryBlobStore(join(dataDir, 'attachments'))
}
