import type { OutgoingFile } from '@parley/sdk/connection'
import { makeThumbnail } from './image-thumbnail.js'

// Chosen (or pasted) files as the connection queues them: each name masked like a
// message, so a card number typed into a file name never leaves the page, and each image with a
// thumbnail made here in the browser.

/** `files` ready for Connection.send. */
export async function outgoingFiles(files: readonly File[], maskName: (name: string) => string): Promise<OutgoingFile[]> {
  return Promise.all(files.map(async (f) => {
    const thumbnail = await makeThumbnail(f)
    return { name: maskName(f.name || 'file'), type: f.type, data: f, ...(thumbnail ? { thumbnail } : {}) }
  }))
}
