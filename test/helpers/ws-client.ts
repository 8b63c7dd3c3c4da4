import type { Socket } from 'node:net'
import WebSocket from 'ws'
import type { ServerFrame, Welcome } from '@parley/sdk/contract'
import { until } from './until.js'

type FrameOf<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>

/** A raw protocol client for tests: records every frame, waits for frames, sends anything. */
export class TestClient {
  readonly ws: WebSocket
  readonly frames: ServerFrame[] = []
  /** The TCP socket under `ws`, once the upgrade has been answered. */
  socket: Socket | null = null
  closeCode: number | null = null
  closeReason = ''
  #cursor = 0

  private constructor(ws: WebSocket) {
    this.ws = ws
    ws.on('message', (data) => this.frames.push(JSON.parse(String(data)) as ServerFrame))
    ws.on('close', (code, reason) => { this.closeCode = code; this.closeReason = String(reason) })
    ws.once('upgrade', (res) => { this.socket = res.socket })
  }

  /** Opens a socket (with `headers` on the upgrade); rejects with the HTTP status and body if the upgrade is refused. */
  static connect(url: string, opts: { origin?: string; headers?: Record<string, string> } = {}): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { ...(opts.origin ? { origin: opts.origin } : {}), ...(opts.headers ? { headers: opts.headers } : {}) })
      const client = new TestClient(ws)
      ws.once('open', () => resolve(client))
      ws.once('unexpected-response', (_req, res) => {
        let body = ''
        res.on('data', (d: Buffer) => { body += d })
        res.on('end', () => reject(Object.assign(new Error(`upgrade refused: ${res.statusCode}`), { status: res.statusCode, body: JSON.parse(body || '{}') })))
      })
      ws.once('error', reject)
    })
  }

  /** Connects as a visitor of `siteKey` and waits for welcome. */
  static async visitor(wsUrl: string, siteKey: string, opts: { token?: string; origin?: string; resume?: { convId: string; afterSeq: number }[] } = {}): Promise<{ client: TestClient; welcome: Welcome }> {
    const client = await TestClient.connect(`${wsUrl}?site=${encodeURIComponent(siteKey)}`, opts)
    const auth = opts.token ? { kind: 'visitor', token: opts.token } : { kind: 'visitor' }
    client.send({ type: 'hello', protocol: 1, auth, ...(opts.resume ? { resume: opts.resume } : {}) })
    return { client, welcome: await client.next('welcome') }
  }

  /** Connects as an agent with a session token and waits for welcome. */
  static async agent(wsUrl: string, token: string, opts: { resume?: { convId: string; afterSeq: number }[] } = {}): Promise<{ client: TestClient; welcome: Welcome }> {
    const client = await TestClient.connect(wsUrl)
    client.send({ type: 'hello', protocol: 1, auth: { kind: 'agent', token }, ...(opts.resume ? { resume: opts.resume } : {}) })
    return { client, welcome: await client.next('welcome') }
  }

  send(frame: unknown): void {
    this.ws.send(JSON.stringify(frame))
  }

  sendRaw(data: string | Buffer, binary = false): void {
    this.ws.send(data, { binary })
  }

  /** All frames of a type received so far. */
  all<T extends ServerFrame['type']>(type: T, pred: (f: FrameOf<T>) => boolean = () => true): FrameOf<T>[] {
    return this.frames.filter((f): f is FrameOf<T> => f.type === type && pred(f as FrameOf<T>))
  }

  /** Waits for the next frame of `type` (after the last one `next` returned) matching `pred`. */
  async next<T extends ServerFrame['type']>(type: T, pred: (f: FrameOf<T>) => boolean = () => true, timeoutMs = 10_000): Promise<FrameOf<T>> {
    return until(() => {
      for (let i = this.#cursor; i < this.frames.length; i++) {
        const f = this.frames[i]!
        if (f.type === type && pred(f as FrameOf<T>)) { this.#cursor = i + 1; return f as FrameOf<T> }
      }
      if (this.closeCode !== null) throw new Error(`socket closed (${this.closeCode} ${this.closeReason}) while waiting for ${type}`)
      return undefined
    }, type, timeoutMs).catch((err: unknown) => { throw new Error(`${(err as Error).message}; ${this.#since()}`) })
  }

  /** What arrived after the cursor, for a timeout's message: frame types, and any error's code. */
  #since(): string {
    const rest = this.frames.slice(this.#cursor).map((f) => (f.type === 'error' ? `error ${f.code}` : f.type))
    return rest.length === 0 ? 'nothing arrived since' : `arrived since: ${rest.slice(-12).join(', ')}`
  }

  /** Waits for the error frame with `code`. */
  error(code: string, timeoutMs = 10_000): Promise<FrameOf<'error'>> {
    return this.next('error', (f) => f.code === code, timeoutMs)
  }

  /** Resolves with the close code once the socket is closed. */
  async closed(timeoutMs = 10_000): Promise<number> {
    return until(() => this.closeCode, 'close', timeoutMs)
  }

  close(): void {
    this.ws.close()
  }
}
