/** Where a saved document is wrong: a JSON path (`rules/2/when/all/0/op`) and what is wrong there. */
export interface RuleProblem {
  path: string
  message: string
}
