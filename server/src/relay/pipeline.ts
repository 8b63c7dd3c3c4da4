import type { Participant } from '@parley/sdk/contract'
import type { Masker } from '@parley/sdk/masking'

// The stage between "validated" and "stored". Every message passes through these steps, in order,
// before it is stored, logged, fanned out or sent anywhere. A step works for one brand (it is handed
// the brand's masker) and returns the text to keep, or refuses the message with a coded error.

/** What a step knows about the message it transforms. */
export interface PipelineInput {
  brandId: string
  convId: string
  from: Participant
  text: string
  /** The brand's masking configuration, compiled. */
  masker: Masker
  /** The end of the sender's previous message in this conversation as stored ('' when none). */
  previousTail: string
}

/** A step's refusal: nothing of the message is stored, and the sender gets this error. */
export interface PipelineRefusal {
  refused: 'PARLEY_ERR_MESSAGE_REFUSED'
  args: readonly unknown[]
}

/** A step's result: the text to keep, with the previous message's tail when the step changed that too. */
export type StepResult = string | { text: string; previousTail: string } | PipelineRefusal

/** One transformation of a message's text; a step of its own gets an input it may keep. */
export type PipelineStep = (input: PipelineInput) => StepResult

/** The text to store, and the new tail of the sender's previous message when it must change (else null). */
export type PipelineOutcome = { ok: true; text: string; previousTail: string | null } | { ok: false; refusal: PipelineRefusal }

/** Runs the steps in order, stopping at the first refusal. */
export function runPipeline(steps: readonly PipelineStep[], input: PipelineInput): PipelineOutcome {
  let text = input.text
  let previousTail: string | null = null
  // The built-in steps keep nothing of their input, so they share one copy, updated between them; a
  // custom step may keep what it is handed, and gets an input of its own.
  const current = { ...input }
  for (const step of steps) {
    current.text = text
    current.previousTail = previousTail ?? input.previousTail
    const r = step(BUILT_IN_STEPS.has(step) ? current : { ...current })
    if (typeof r === 'string') text = r
    else if ('refused' in r) return { ok: false, refusal: r }
    else ({ text, previousTail } = r)
  }
  return { ok: true, text, previousTail }
}

// C0/C1 control characters other than tab and newline carry nothing a reader can see, but can hide
// text from the agent or break terminals and logs downstream; a carriage return becomes a newline.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/
const CONTROL_ALL = new RegExp(CONTROL.source, 'g')
// Either of the above: most texts have neither, and are then scanned once.
const CONTROL_OR_CR = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/

/** Removes invisible control characters and normalises line breaks. */
export const stripControlCharacters: PipelineStep = ({ text }) => {
  if (!CONTROL_OR_CR.test(text)) return text
  const normalised = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text
  return CONTROL.test(normalised) ? normalised.replace(CONTROL_ALL, '') : normalised
}

// A lone surrogate (half an emoji, as a client that cuts text at a length limit produces) cannot be
// stored as UTF-8; SQLite would quietly replace it, and the stored text would differ from the acked one.
// String.prototype.toWellFormed (ES2024, Node 20) does the replacing; it returns a text with no
// surrogate at all without scanning it, which a regular expression can't.
declare global {
  interface String { toWellFormed(): string }
}

/** Replaces each lone surrogate with U+FFFD, so what is stored is exactly what is acked and fanned out. */
export const wellFormedText: PipelineStep = ({ text }) => text.toWellFormed()

/**
 * Masks what the brand's configuration hides, checking the message together with the end of the
 * sender's previous one (a card number split across two messages). Last, so that what it checks is
 * what is stored: a control character between digits can't hide a card from it. Fails closed: a
 * masker that throws refuses the message rather than letting it be stored unmasked.
 */
export const maskText: PipelineStep = ({ text, masker, previousTail }) => {
  if (!masker.active) return text
  try {
    if (!previousTail) return masker.mask(text).text
    const { result, previous } = masker.maskJoined(previousTail, text)
    return previous === null || previous === previousTail ? result.text : { text: result.text, previousTail: previous }
  } catch {
    return { refused: 'PARLEY_ERR_MESSAGE_REFUSED', args: ['it could not be checked for masked values'] }
  }
}

/** The steps every relay runs by default. */
export const DEFAULT_PIPELINE: readonly PipelineStep[] = [wellFormedText, stripControlCharacters, maskText]

// The steps runPipeline may hand a shared input: they return without keeping it.
const BUILT_IN_STEPS: ReadonlySet<PipelineStep> = new Set(DEFAULT_PIPELINE)
