import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SignJWT } from 'jose'
import { startRelay, type TestRelay } from '../helpers/start-relay.js'
import { createTestBrand } from '../helpers/brand.js'
import { callRest } from '../helpers/rest.js'
import { connectVisitor, frameOf } from '../helpers/delivery-chat.js'
import { until } from '../helpers/until.js'

// What verified identity leaves in the relay's log: ids and codes, never a secret, an identity
// token, a visitor token, or what the brand signed about its customer (id, name, e-mail: a brand's
// customer id may well be an e-mail address).

describe('identity log lines', () => {
  let relay: TestRelay
  const lines: string[] = []
  beforeAll(async () => { relay = await startRelay({ logStream: { write: (line) => { lines.push(line) } } }) })
  afterAll(async () => { await relay.close() })

  it('carry ids and codes only', async () => {
    const brand = await createTestBrand(relay)
    const created = await callRest(relay, { method: 'POST', url: '/v1/identity/secrets', token: brand.apiKey })
    const { secretId, secret } = created.body as { secretId: string; secret: string }
    const sign = (aud: string) => new SignJWT({ name: 'Zelda Quartermain', email: 'zelda.q@example.com' }).setProtectedHeader({ alg: 'HS256' })
      .setSubject('cust-LOGGED-NEVER').setAudience(aud).setIssuedAt().setExpirationTime('5m').sign(Buffer.from(secret, 'base64url'))
    const bad = await sign('b_someone_else')
    const good = await sign(brand.brandId)
    const tab = await connectVisitor(relay, brand)
    tab.client.send({ type: 'visitor.identify', token: bad, ref: 'bad' })
    await tab.client.error('PARLEY_ERR_IDENTITY_CLAIM')
    tab.client.send({ type: 'visitor.identify', token: good, ref: 'good' })
    const identified = await frameOf(tab.client, 'visitor.identified')
    await tab.client.closed()
    const back = await connectVisitor(relay, brand, { token: identified.identity.token })
    back.client.send({ type: 'visitor.forget', ref: 'bye' })
    await frameOf(back.client, 'visitor.forgotten')
    await until(() => lines.some((l) => l.includes('visitor session ended')), 'the forget log line')
    const logged = lines.join('')
    expect(logged).toContain(secretId)
    expect(logged).toContain('PARLEY_ERR_IDENTITY_CLAIM')
    for (const never of [secret, bad, good, bad.split('.')[2]!, identified.identity.token, tab.token, 'Zelda', 'zelda.q@example.com', 'cust-LOGGED-NEVER']) {
      expect(logged).not.toContain(never)
    }
  })
})
