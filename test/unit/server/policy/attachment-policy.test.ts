import { describe, expect, it } from 'vitest'
import {
  attachmentSendRefusal, downloadNeedsConversation, mayDownloadAttachment, thumbnailRefusal, type AttachmentFacts,
} from '../../../../server/src/policy/attachment-policy.js'

// The attachment rules on plain facts: who may send an upload, who may download a file, and when
// the answer needs the conversation read.

const unsent: AttachmentFacts = { brandId: 'b1', uploader: 'visitor:v_1', convId: null }
const sent: AttachmentFacts = { ...unsent, convId: 'c1' }

describe('attachmentSendRefusal', () => {
  it('lets the uploader send their unsent upload, and nobody else', () => {
    expect(attachmentSendRefusal(unsent, { kind: 'visitor', id: 'v_1' })).toBeNull()
    expect(attachmentSendRefusal(unsent, { kind: 'visitor', id: 'v_2' })).toBe('PARLEY_ERR_ATTACHMENT_NOT_FOUND')
    // Same id, other kind: an agent named like the visitor is not them.
    expect(attachmentSendRefusal(unsent, { kind: 'agent', id: 'v_1' })).toBe('PARLEY_ERR_ATTACHMENT_NOT_FOUND')
    expect(attachmentSendRefusal(null, { kind: 'visitor', id: 'v_1' })).toBe('PARLEY_ERR_ATTACHMENT_NOT_FOUND')
  })

  it('refuses a file already sent as in use (to its uploader), not found to anyone else', () => {
    expect(attachmentSendRefusal(sent, { kind: 'visitor', id: 'v_1' })).toBe('PARLEY_ERR_ATTACHMENT_IN_USE')
    expect(attachmentSendRefusal(sent, { kind: 'visitor', id: 'v_2' })).toBe('PARLEY_ERR_ATTACHMENT_NOT_FOUND')
  })
})

describe('mayDownloadAttachment', () => {
  it('lets the brand and its agents download any file of the brand, and nobody of another brand', () => {
    for (const rec of [unsent, sent]) {
      expect(mayDownloadAttachment(rec, { kind: 'brand', brandId: 'b1' }, null)).toBe(true)
      expect(mayDownloadAttachment(rec, { kind: 'agent', brandId: 'b1' }, null)).toBe(true)
      expect(mayDownloadAttachment(rec, { kind: 'agent', brandId: 'b2' }, null)).toBe(false)
      expect(mayDownloadAttachment(rec, { kind: 'visitor', brandId: 'b2', visitorId: 'v_1' }, null)).toBe(false)
    }
  })

  it('lets a visitor download their own upload, and a file sent in their conversation', () => {
    expect(mayDownloadAttachment(unsent, { kind: 'visitor', brandId: 'b1', visitorId: 'v_1' }, null)).toBe(true)
    expect(mayDownloadAttachment(unsent, { kind: 'visitor', brandId: 'b1', visitorId: 'v_2' }, null)).toBe(false)
    const agentFile: AttachmentFacts = { brandId: 'b1', uploader: 'agent:a_1', convId: 'c1' }
    expect(mayDownloadAttachment(agentFile, { kind: 'visitor', brandId: 'b1', visitorId: 'v_2' }, 'v_2')).toBe(true)
    expect(mayDownloadAttachment(agentFile, { kind: 'visitor', brandId: 'b1', visitorId: 'v_2' }, 'v_3')).toBe(false)
    expect(mayDownloadAttachment(agentFile, { kind: 'visitor', brandId: 'b1', visitorId: 'v_2' }, null)).toBe(false)
    // An unsent agent upload is the agent's alone.
    expect(mayDownloadAttachment({ ...agentFile, convId: null }, { kind: 'visitor', brandId: 'b1', visitorId: 'v_2' }, 'v_2')).toBe(false)
  })
})

describe('downloadNeedsConversation', () => {
  it('asks for the conversation only for a visitor and a sent file they did not upload', () => {
    const agentFile: AttachmentFacts = { brandId: 'b1', uploader: 'agent:a_1', convId: 'c1' }
    expect(downloadNeedsConversation(agentFile, { kind: 'visitor', brandId: 'b1', visitorId: 'v_2' })).toBe(true)
    expect(downloadNeedsConversation(sent, { kind: 'visitor', brandId: 'b1', visitorId: 'v_1' })).toBe(false)
    expect(downloadNeedsConversation({ ...agentFile, convId: null }, { kind: 'visitor', brandId: 'b1', visitorId: 'v_2' })).toBe(false)
    expect(downloadNeedsConversation(agentFile, { kind: 'agent', brandId: 'b1' })).toBe(false)
    expect(downloadNeedsConversation(agentFile, { kind: 'visitor', brandId: 'b2', visitorId: 'v_2' })).toBe(false)
  })
})

describe('thumbnailRefusal', () => {
  const image = { ...unsent, type: 'image/png' }
  it('lets the uploader set the thumbnail of their unsent image', () => {
    expect(thumbnailRefusal(image, { kind: 'visitor', id: 'v_1' })).toBeNull()
    expect(thumbnailRefusal({ ...image, type: 'image/svg+xml' }, { kind: 'visitor', id: 'v_1' })).toBeNull()
  })

  it('refuses anyone else, a file already sent, and a file that is not an image', () => {
    expect(thumbnailRefusal(image, { kind: 'visitor', id: 'v_2' })).toBe('PARLEY_ERR_ATTACHMENT_NOT_FOUND')
    expect(thumbnailRefusal(null, { kind: 'visitor', id: 'v_1' })).toBe('PARLEY_ERR_ATTACHMENT_NOT_FOUND')
    expect(thumbnailRefusal({ ...image, convId: 'c1' }, { kind: 'visitor', id: 'v_1' })).toBe('PARLEY_ERR_ATTACHMENT_IN_USE')
    expect(thumbnailRefusal({ ...image, type: 'application/pdf' }, { kind: 'visitor', id: 'v_1' })).toBe('PARLEY_ERR_ATTACHMENT_TYPE')
  })
})
