// Why an answer is refused, as a code and the limit it broke: the widget words it in the visitor's
// language, the relay in English (describeProblem) inside PARLEY_ERR_SURVEY_ANSWER_INVALID.

/** What is wrong with one answer. */
export type AnswerProblemCode =
  | 'required'      // a required field shown and not answered (consent: not ticked)
  | 'type'          // a value of the wrong type (text for a number, a list for a choice…)
  | 'too-short'     // fewer characters than minLength (limit)
  | 'too-long'      // more characters than maxLength (limit)
  | 'too-small'     // a number under min (limit), or under the scale
  | 'too-large'     // a number over max (limit), or over the scale
  | 'not-integer'   // a fraction where a whole number is asked
  | 'email'         // not an e-mail address
  | 'phone'         // not a phone number (7–15 digits, optional +, spaces, dashes, dots, brackets)
  | 'format'        // text not in the field's format (digits, alphanumeric, url)
  | 'option'        // a value that is none of the options
  | 'too-few'       // fewer picks than minChoices (limit)
  | 'too-many'      // more picks than maxChoices (limit)
  | 'unknown-field' // an answer to a field the survey does not have

/** One refused answer: the field, the code, and the limit for length, range and count codes. */
export interface AnswerProblem {
  field: string
  code: AnswerProblemCode
  limit?: number
}
