import type { Answers, Survey } from '../contract/surveys.js'
import { answerOf, isAnswered } from './answered.js'
import { pickText } from './local-text.js'

// What a stored answer keeps of the survey it answered, so it reads the same after the survey changes.

/** For each consent field ticked in `answers`: the exact label the visitor agreed to, in `language`. */
export function consentTexts(survey: Survey, answers: Readonly<Answers>, language: string | undefined): Record<string, string> {
  const texts: Record<string, string> = {}
  for (const field of survey.fields) {
    if (field.type === 'consent' && answerOf(answers, field.id) === true) {
      texts[field.id] = pickText(field.label, language, survey.defaultLanguage)
    }
  }
  return texts
}

/** Each answered field's label in `language`, so a stored answer reads as it was asked. */
export function fieldLabels(survey: Survey, answers: Readonly<Answers>, language: string | undefined): Record<string, string> {
  const labels: Record<string, string> = {}
  for (const field of survey.fields) {
    if (isAnswered(answerOf(answers, field.id))) labels[field.id] = pickText(field.label, language, survey.defaultLanguage)
  }
  return labels
}
