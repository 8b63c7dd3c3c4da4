import { randomBytes } from 'node:crypto'
import { beforeAll, expect, it } from 'vitest'
import type { AttachmentRecord, CannedReplyRecord, NewBrand } from '../../../server/src/store/store.js'
import { describeWithPostgres, usePostgresStores } from '../../helpers/postgres.js'
import { createStoreBrand } from '../../helpers/brand.js'

// A connection lost during COMMIT leaves its outcome unknown, and the caller may well try again
// (the SDK retries, the widget's outbox resends). A create that did commit must then answer the same
// create as a success, and still refuse a different one that collides with it.

const id = (prefix: string) => `${prefix}${randomBytes(6).toString('hex')}`

describeWithPostgres('PostgreSQL store: a create repeated after an unknown commit', () => {
  const suite = usePostgresStores()
  let brandId: string
  beforeAll(async () => { brandId = await createStoreBrand(suite.store, { name: 'Repeat' }) })

  it('answers the same createBrand again with the brand, and refuses a different one', async () => {
    const b: NewBrand = { brandId: id('b_'), name: 'Twice', siteKey: id('s_'), allowedOrigins: ['https://b.example', 'https://a.example'], apiKeyHash: id('k_'), createdAt: 5 }
    const first = await suite.store.createBrand(b)
    expect(await suite.store.createBrand({ ...b, allowedOrigins: [...b.allowedOrigins].reverse() })).toEqual(first)
    await expect(suite.store.createBrand({ ...b, name: 'Other' })).rejects.toMatchObject({ code: '23505' })
    await expect(suite.store.createBrand({ ...b, apiKeyHash: id('k_') })).rejects.toMatchObject({ code: '23505' })
    await expect(suite.store.createBrand({ ...b, allowedOrigins: ['https://c.example'] })).rejects.toMatchObject({ code: '23505' })
    // Another brand's site key or API key is still refused.
    await expect(suite.store.createBrand({ ...b, brandId: id('b_') })).rejects.toMatchObject({ code: '23505' })
    await expect(suite.store.createBrand({ ...b, brandId: id('b_'), siteKey: id('s_') })).rejects.toMatchObject({ code: '23505' })
    expect(await suite.store.getBrand(b.brandId)).toEqual(first)
  })

  it('answers the same createAttachment again, and refuses a different one', async () => {
    const a: AttachmentRecord = {
      brandId, attachmentId: id('f_'), uploader: 'visitor:v1', name: 'a.png', type: 'image/png', size: 3,
      width: 1, height: 1, blobKey: id('blob_'), thumbKey: null, createdAt: 7, convId: null, seq: null,
    }
    await suite.store.createAttachment(a)
    await suite.store.createAttachment({ ...a })
    await expect(suite.store.createAttachment({ ...a, blobKey: id('blob_') })).rejects.toMatchObject({ code: '23505' })
    expect(await suite.store.getAttachment(brandId, a.attachmentId)).toEqual(a)
  })

  it('answers the same createCannedReply again with the reply, and refuses a different one', async () => {
    const r: CannedReplyRecord = {
      brandId, replyId: id('r_'), scope: 'brand', ownerAgentId: null, shortcut: id('hi'), title: 'Hi', text: 'Hello', updatedAt: 9,
    }
    expect(await suite.store.createCannedReply(r)).toEqual({ ok: true, reply: r })
    expect(await suite.store.createCannedReply({ ...r })).toEqual({ ok: true, reply: r })
    expect(await suite.store.createCannedReply({ ...r, text: 'Other' })).toEqual({ ok: false, code: 'PARLEY_ERR_CANNED_SHORTCUT_TAKEN' })
    expect(await suite.store.createCannedReply({ ...r, replyId: id('r_') })).toEqual({ ok: false, code: 'PARLEY_ERR_CANNED_SHORTCUT_TAKEN' })
    await expect(suite.store.createCannedReply({ ...r, shortcut: id('other') })).rejects.toMatchObject({ code: '23505' })
  })
})
