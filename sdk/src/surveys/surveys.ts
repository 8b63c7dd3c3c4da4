// Entry point of `@parley/sdk/surveys`: the one survey logic, run by the widget as the visitor types,
// by the relay before anything is stored, and by the SDK before a save. Pure: no Node or DOM APIs,
// and no TypeBox values, so the widget's form chunk carries only this.
//
//   pickText         local-text.ts      a label in the visitor's language, with fallbacks
//   visibleFields    visibility.ts      which fields show, given the answers so far (conditions)
//   answerProblems   validate.ts        every refused answer, for the form (all at once)
//   validateAnswers  validate.ts        the relay's check: the first problem, or the clean answers
//   fieldProblem     field-problem.ts   one answer against its field alone (a correction's check)
//   routeOf          routing.ts         the topic, skill and priority the answers set
//   checkSurveys     check-surveys.ts   on save: what the schema cannot say about surveys
//   sameSurveyContent versioning.ts     whether a save changes a survey (a new version) or not
//   describeProblem  describe.ts        a problem in English, for error messages
export { pickText } from './local-text.js'
export { visibleFields } from './visibility.js'
export { answerProblems, validateAnswers, type ValidatedAnswers } from './validate.js'
export { fieldProblem } from './field-problem.js'
export { routeOf } from './routing.js'
export { checkSurveys } from './check-surveys.js'
export type { SurveyConfigProblem } from './survey-config-problem.js'
export { sameSurveyContent } from './versioning.js'
export { describeProblem } from './describe.js'
export { consentTexts, fieldLabels } from './recorded-text.js'
export type { AnswerProblem, AnswerProblemCode } from './answer-problem.js'
