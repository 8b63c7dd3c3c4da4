import type { MaskResult, OfflineMessage, SurveySubmission } from '@parley/sdk/contract'

// The offline message form's data: what the visitor must fill in, and the one request that sends it.
// The message is masked in the widget first, as a chat message is, so the original never leaves
// the page; its id is made once and kept until the relay has it, so a retry never stores it twice.

/** What the visitor writes in the offline form. */
export interface OfflineDraft {
  name: string
  email: string
  message: string
}

/** What is wrong with one field. */
export type FieldProblem = 'required' | 'email'

/** The same check as the contract's, with a dot in the domain, which a typo most often drops. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

/** The fields the visitor must fix, in the form's order; empty when the draft can go. */
export function checkDraft(d: OfflineDraft): [keyof OfflineDraft, FieldProblem][] {
  const out: [keyof OfflineDraft, FieldProblem][] = []
  if (!d.name.trim()) out.push(['name', 'required'])
  if (!d.email.trim()) out.push(['email', 'required'])
  else if (!EMAIL.test(d.email.trim())) out.push(['email', 'email'])
  if (!d.message.trim()) out.push(['message', 'required'])
  return out
}

/** What sending needs; boot.ts gives the page's. */
export interface OfflineSenderDeps {
  /** POST /v1/sites/:siteKey/offline-messages */
  url: string
  fetch: typeof fetch
  mask(text: string): MaskResult
  newId(): string
  /** The context and the deciding rule, as the chat would send them. */
  extras(): Pick<OfflineMessage, 'context' | 'ruleId'>
}

/**
 * Sends a draft, or the brand's offline survey's answers (masked by its form); resolves true once
 * the relay stored it (or had it already), false to try again.
 */
export type OfflineSender = (d: OfflineDraft | SurveySubmission) => Promise<boolean>

/** The page's offline sender: one message id until a send succeeds. */
export function createOfflineSender(deps: OfflineSenderDeps): OfflineSender {
  let clientMsgId: string | null = null
  return async (d) => {
    clientMsgId ??= deps.newId()
    const body: OfflineMessage = 'surveyId' in d ? { survey: d, clientMsgId, ...deps.extras() } : {
      name: d.name.trim().slice(0, 128), email: d.email.trim(), message: deps.mask(d.message.trim()).text.slice(0, 4000), clientMsgId, ...deps.extras(),
    }
    try {
      const res = await deps.fetch(deps.url, { method: 'POST', credentials: 'omit', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
      if (!res.ok) return false
      clientMsgId = null
      return true
    } catch {
      return false
    }
  }
}
