import type { AnswerValue, Answers, LocalText, Survey, SurveyField, SurveySubmission } from '@parley/sdk/contract'
import { answerProblems, pickText, visibleFields } from '@parley/sdk/surveys'

// A survey form's answers on their way out: free text masked like a message (the visitor's contact
// address kept, as the relay keeps it), and what the visitor answered before a pre-chat form, so it
// is not asked again. Pure: the form and the controller do the I/O.

/** Fields whose answer is typed text (masked before it leaves the page). */
const TEXT_TYPES = new Set(['text', 'longtext', 'email', 'phone'])

/**
 * `answers` with free text masked by `mask`. An e-mail the field is the contact address of is
 * masked on each side of its last `@` (so the address stays, a card number in it does not), and
 * a phone number the field is the contact number of is kept.
 */
export function maskAnswers(survey: Pick<Survey, 'fields'>, answers: Readonly<Answers>, mask: (text: string) => string): Answers {
  const out: Answers = {}
  for (const [id, value] of Object.entries(answers)) {
    const field = survey.fields.find((f) => f.id === id)
    if (typeof value !== 'string' || !field || !TEXT_TYPES.has(field.type) || field.purpose === 'phone') out[id] = value
    else if (field.purpose === 'email' && value.includes('@')) {
      const at = value.lastIndexOf('@')
      out[id] = `${mask(value.slice(0, at))}@${mask(value.slice(at + 1))}`
    } else out[id] = mask(value)
  }
  return out
}

/** What the survey's texts read in: `language` (surveyLanguage), falling back to the survey's default. */
export const textOf = (survey: Pick<Survey, 'defaultLanguage'>, language: string) =>
  (text: Parameters<typeof pickText>[0]) => pickText(text, language, survey.defaultLanguage ?? 'en')

/**
 * The language `survey` shows in: the first of the visitor's `preferred` languages (the browser's
 * order) that its texts give, exactly or by base language (`fr` for `fr-CA`); else `widget`, the
 * widget's own. A survey can so speak a language the widget does not ship; the widget's own words
 * (problems, buttons) stay in the widget's language.
 */
export function surveyLanguage(survey: Survey, preferred: readonly string[], widget: string): string {
  const texts: (LocalText | undefined)[] = [survey.title, survey.intro, survey.submitLabel]
  for (const f of survey.fields) texts.push(f.label, f.help, f.placeholder, ...(f.options ?? []).map((o) => o.label))
  const given = new Set(texts.flatMap((t) => (t && typeof t === 'object' ? Object.keys(t).map((k) => k.toLowerCase()) : [])))
  for (const tag of preferred) {
    const t = tag.toLowerCase()
    if (given.has(t)) return tag
    if (given.has(t.split('-')[0]!)) return t.split('-')[0]!
  }
  return widget
}

/** A field whose answer routes the chat (a choice with a `route`): about this chat, so asked every time. */
const routes = (f: SurveyField): boolean => !!f.options?.some((o) => o.route)

/** Whether `survey` has a field left to ask once `known` is given (false: the chat opens without the form). */
export const leftToAsk = (survey: Survey, known: Readonly<Answers>): boolean => visibleFields(survey, known).some((f) => !(f.id in known))

/** The submission for `answers` (masked) to the version of `survey` the visitor saw. */
export function submissionOf(survey: Survey, answers: Readonly<Answers>, language: string, mask: (text: string) => string): SurveySubmission {
  return { surveyId: survey.id, version: survey.version ?? 1, answers: maskAnswers(survey, answers, mask), language }
}

/** One remembered answer, and for a consent the exact text agreed to. */
export interface RememberedAnswer {
  value: AnswerValue
  consent?: string
}
/** A visitor's earlier pre-chat answers, by survey and field, as they were sent (masked). */
export type Remembered = Record<string, Record<string, RememberedAnswer>>

/**
 * The answers of `survey` the visitor gave before and need not give again: each still a valid
 * answer to its field as it is now, and a consent only while its text is the one agreed to.
 */
export function knownAnswers(survey: Survey, remembered: Readonly<Remembered>, language: string): Answers {
  const before = remembered[survey.id] ?? {}
  const text = textOf(survey, language)
  const out: Answers = {}
  for (const field of survey.fields) {
    const r = before[field.id]
    if (!r || routes(field)) continue
    if (field.type === 'consent' && r.consent !== text(field.label)) continue
    const { when: _when, ...alone } = field
    if (answerProblems({ fields: [alone] }, { [field.id]: r.value }).length === 0) out[field.id] = r.value
  }
  return out
}

/** `remembered` with the answers just sent to `survey` added (a consent with the text agreed to). */
export function rememberAnswers(remembered: Readonly<Remembered>, survey: Survey, sent: Readonly<Answers>, language: string): Remembered {
  const text = textOf(survey, language)
  const mine: Record<string, RememberedAnswer> = { ...remembered[survey.id] }
  for (const [id, value] of Object.entries(sent)) {
    const field = survey.fields.find((f) => f.id === id)
    if (!field || routes(field)) continue
    mine[id] = field.type === 'consent' ? { value, consent: text(field.label) } : { value }
  }
  return { ...remembered, [survey.id]: mine }
}
