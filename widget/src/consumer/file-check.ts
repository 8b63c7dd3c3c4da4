import { DEFAULT_ATTACHMENT_MAX_BYTES, DEFAULT_ATTACHMENT_TYPES, type AttachmentSettings } from '@parley/sdk/contract'

// What a visitor may attach, from the brand's settings (the contract's defaults when it says
// nothing), checked before a file is queued, so a refusal says why at once instead of after an
// upload. The relay checks again (and sniffs the bytes): this is only the early, friendly answer.

/** The brand's rules for a visitor's files, or null when visitors may not send files. */
export interface FilePolicy {
  types: readonly string[]
  maxBytes: number
}

/** The policy of a brand's settings; null when files from visitors are off. */
export function filePolicy(settings: AttachmentSettings | undefined): FilePolicy | null {
  if (settings?.visitors === false) return null
  return { types: settings?.types ?? DEFAULT_ATTACHMENT_TYPES, maxBytes: settings?.maxBytes ?? DEFAULT_ATTACHMENT_MAX_BYTES }
}

/** Why `file` may not be sent (`type` or `size`), or null when it may. */
export function fileProblem(policy: FilePolicy, file: { type: string; size: number }): 'type' | 'size' | null {
  if (!policy.types.includes(file.type)) return 'type'
  return file.size > policy.maxBytes ? 'size' : null
}
