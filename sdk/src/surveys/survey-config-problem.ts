/** Where a surveys document is wrong: a JSON path (`surveys/0/fields/2/options`, no leading slash, like the rules' `rules/2/when`) and why, in English. */
export interface SurveyConfigProblem {
  path: string
  message: string
}
