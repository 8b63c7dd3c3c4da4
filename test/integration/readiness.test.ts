import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { afterAll, describe, expect, it } from 'vitest'
import { RelayProcess, createBrandWithCli, killRelayProcesses } from '../helpers/relay-process.js'
import { tempDir } from '../helpers/temp-dir.js'
import { TestClient } from '../helpers/ws-client.js'
import { expectErrorStatusAndBody } from '../helpers/expect-error.js'
import { until } from '../helpers/until.js'

// Ready means the store can write. A full disk is made for real: the relay process's file-size
// limit (RLIMIT_FSIZE, set with prlimit) drops below its files' sizes, so every write to the
// database or its WAL fails as on a full disk (Node ignores SIGXFSZ; SQLite sees a short write and
// answers SQLITE_FULL). Raising the limit again is the disk getting space back.

const PRLIMIT = ['/usr/bin/prlimit', '/bin/prlimit'].find((p) => existsSync(p))

function setFileSizeLimit(pid: number, bytes: number | 'unlimited'): void {
  execFileSync(PRLIMIT!, [`--pid=${pid}`, `--fsize=${bytes}:unlimited`])
}

afterAll(killRelayProcesses)

describe.skipIf(!PRLIMIT)('/readyz when the disk is full', () => {
  it('answers 503 PARLEY_ERR_SERVER_STORE while writes fail, and ready again once they succeed', async () => {
    const dir = tempDir()
    try {
      const brand = await createBrandWithCli(dir.dir, 'Full disk', ['https://shop.example'])
      const relay = await RelayProcess.start({ dataDir: dir.dir })
      const readyz = async () => {
        const res = await fetch(`${relay.url}/readyz`)
        return { status: res.status, body: (await res.json()) as unknown }
      }
      expect((await readyz()).status).toBe(200)

      const { client } = await TestClient.visitor(relay.wsUrl, brand.siteKey)
      setFileSizeLimit(relay.pid, 1024)
      client.send({ type: 'message.send', convId: 'full-conv', clientMsgId: 'f1', text: 'while the disk is full' })
      const refused = await client.next('error')
      expect(refused.code).toBe('PARLEY_ERR_SERVER_STORE')
      const full = await readyz()
      expectErrorStatusAndBody(full.status, full.body, 'PARLEY_ERR_SERVER_STORE')

      setFileSizeLimit(relay.pid, 'unlimited')
      await until(async () => (await readyz()).status === 200, 'ready again')
      client.send({ type: 'message.send', convId: 'full-conv', clientMsgId: 'f2', text: 'after space came back' })
      expect((await client.next('message.ack')).clientMsgId).toBe('f2')
      client.close()
      await relay.kill('SIGTERM')
    } finally {
      dir.remove()
    }
  })
})
