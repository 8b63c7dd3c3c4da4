import type { Answers, Survey } from '../contract/surveys.js'

/** For each consent field ticked in `answers`: the exact label the visitor agreed to, in `language`. */
export function consentTexts(survey: Survey, answers: Readonly<Answers>, language: string | undefined): Record<string, string> {
  throw new Error('not yet')
}

/** Each answered field's label in `language`, so a stored answer reads as it was asked. */
export function fieldLabels(survey: Survey, answers: Readonly<Answers>, language: string | undefined): Record<string, string> {
  throw new Error('not yet')
}
