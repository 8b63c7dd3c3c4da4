import type { Participant } from '@parley/sdk/contract'

// The stage between "validated" and "stored". Every message passes through these steps, in order,
// before it is stored, logged, fanned out or sent anywhere; masking (its own issue) plugs in here as
// one more step. A step returns the text to keep.

/** What a step knows about the message it transforms. */
export interface PipelineInput {
  brandId: string
  convId: string
  from: Participant
  text: string
}

/** One transformation of a message's text. */
export type PipelineStep = (input: PipelineInput) => string

/** Runs the steps in order and returns the text to store. */
export function runPipeline(steps: readonly PipelineStep[], input: PipelineInput): string {
  let text = input.text
  for (const step of steps) text = step({ ...input, text })
  return text
}

// C0/C1 control characters other than tab and newline carry nothing a reader can see, but can hide
// text from the agent or break terminals and logs downstream; a carriage return becomes a newline.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/
const CONTROL_ALL = new RegExp(CONTROL.source, 'g')

/** Removes invisible control characters and normalises line breaks. */
export const stripControlCharacters: PipelineStep = ({ text }) => {
  const normalised = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text
  return CONTROL.test(normalised) ? normalised.replace(CONTROL_ALL, '') : normalised
}

// A lone surrogate (half an emoji, as a client that cuts text at a length limit produces) cannot be
// stored as UTF-8; SQLite would quietly replace it, and the stored text would differ from the acked one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** Replaces each lone surrogate with U+FFFD, so what is stored is exactly what is acked and fanned out. */
export const wellFormedText: PipelineStep = ({ text }) => text.replace(LONE_SURROGATE, '\uFFFD')

/** The steps every relay runs by default. */
export const DEFAULT_PIPELINE: readonly PipelineStep[] = [wellFormedText, stripControlCharacters]
