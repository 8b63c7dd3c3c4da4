import type { Answers, Survey } from '@parley/sdk/contract'
import type { Masker } from '@parley/sdk/masking'
import { maskEmailAddress } from './contact-masking.js'

// Survey answers are stored, fanned out to agents and shown in transcripts like messages, so their
// free text is masked like messages. What a visitor picked (option values) and booleans hold
// nothing typed freely and stay as they are; so do numbers, except that a `number` field's answer
// can be a card number typed as an amount, which is refused (numberHiddenByMasking). A field the brand marks as the visitor's contact
// address (purpose `email` or `phone`) is kept, since replying is its purpose: an e-mail address is
// masked on each side of its `@` (as the offline form's contact is), so a card number typed as the
// local part still goes; a phone number is kept whole (validation let only a phone number through).

/** Field types whose answers are typed freely. */
const FREE_TEXT = new Set(['text', 'longtext', 'email', 'phone'])

/** `answers` (already validated against `survey`) with each free-text answer masked by `masker`. */
export function maskAnswers(masker: Masker, survey: Pick<Survey, 'fields'>, answers: Readonly<Answers>): Answers {
  const masked: Answers = { ...answers }
  if (!masker.active) return masked
  for (const field of survey.fields) {
    const value = answers[field.id]
    if (typeof value !== 'string' || !FREE_TEXT.has(field.type)) continue
    if (field.purpose === 'phone') continue
    masked[field.id] = field.purpose === 'email' ? maskEmailAddress(masker, value) : masker.mask(value).text
  }
  return masked
}

/**
 * The first `number` field whose answer masking would hide (a card number typed as an amount), or
 * null. A number cannot be masked and stay a number, so the caller refuses it rather than store,
 * fan out or report it as typed.
 */
export function numberHiddenByMasking(masker: Masker, survey: Pick<Survey, 'fields'>, answers: Readonly<Answers>): string | null {
  if (!masker.active) return null
  for (const field of survey.fields) {
    const value = answers[field.id]
    if (field.type !== 'number' || typeof value !== 'number') continue
    const text = String(value)
    if (masker.mask(text).text !== text) return field.id
  }
  return null
}
