import { Component } from 'preact'
import type { ShownFile } from './shown-files.js'

// The files of a message, in the widget and the console: an image with a thumbnail shows it, any
// other file is a chip with its name and size. Files are served only to a holder of a token, so
// nothing here is a plain URL: each is fetched with the viewer's token (`load`) and shown through a
// blob URL; a click fetches the whole file the same way and saves it.

/** Fetches a file or its thumbnail with the viewer's token. */
export type LoadFile = (attachmentId: string, part: 'file' | 'thumbnail') => Promise<Blob>

/** Props of the list. */
interface AttachmentListProps {
  files: readonly ShownFile[]
  load: LoadFile
  /** Said after a file still waiting to go ("Sending…"). */
  pending: string
}

/** "2.4 MB", "830 KB": the size the chip shows. */
export function fileSize(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1e3))} KB`
}

/** Fetches the whole file and hands it to the browser as a download under its name. */
async function save(load: LoadFile, f: ShownFile): Promise<void> {
  const url = URL.createObjectURL(await load(f.id!, 'file'))
  const a = document.createElement('a')
  a.href = url
  a.download = f.name
  a.rel = 'noopener'
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

/** One image's thumbnail, fetched on mount and let go on unmount. */
class Thumbnail extends Component<{ file: ShownFile; load: LoadFile }, { url: string | null }> {
  override state = { url: null as string | null }
  #gone = false

  override componentDidMount(): void {
    this.props.load(this.props.file.id!, 'thumbnail').then((b) => {
      if (this.#gone) return
      this.setState({ url: URL.createObjectURL(b) })
    }, () => {})
  }

  override componentWillUnmount(): void {
    this.#gone = true
    if (this.state.url) URL.revokeObjectURL(this.state.url)
  }

  override render({ file, load }: { file: ShownFile; load: LoadFile }, { url }: { url: string | null }) {
    return (
      <button type="button" class="at-i" title={file.name} onClick={() => void save(load, file).catch(() => {})}>
        {url ? <img src={url} alt={file.name} /> : <span>{file.name}</span>}
      </button>
    )
  }
}

/** The files of one message. */
export function AttachmentList({ files, load, pending }: AttachmentListProps) {
  return (
    <ul class="at">
      {files.map((f, i) => (
        <li key={f.id ?? i}>
          {f.id === null
            ? <span class="at-f">{f.name} · {pending}</span>
            : f.thumbnail
              ? <Thumbnail file={f} load={load} />
              : <button type="button" class="at-f" onClick={() => void save(load, f).catch(() => {})}>{f.name} · {fileSize(f.size)}</button>}
        </li>
      ))}
    </ul>
  )
}
