import type { Survey, SurveyResponse } from '@parley/sdk/contract'
import { answerRows, KIND_TEXT, versionKey } from '../survey-answers.js'

/** Props of the answers beside a chat or a transcript. */
export interface SurveyAnswersProps {
  responses: readonly SurveyResponse[]
  /** Survey versions known so far, by `surveyId@version` (option labels; absent: values shown). */
  surveys: Readonly<Record<string, Survey>>
  /** The heading level of each survey (the panel's own heading is one above). */
  level?: 3 | 4
}

/** Every survey answered in a conversation, each marked pre-chat, post-chat or offline form. All text, never HTML. */
export function SurveyAnswers({ responses, surveys, level = 3 }: SurveyAnswersProps) {
  if (responses.length === 0) return <p class="muted">No survey answered.</p>
  const H = level === 3 ? 'h3' : 'h4'
  return (
    <>
      {responses.map((r) => {
        const survey = surveys[versionKey(r.surveyId, r.version)] ?? null
        return (
          <section key={`${r.surveyId}@${r.at}`} class="answers" aria-label={`${KIND_TEXT[r.kind]} survey`}>
            <H><span class="tag kind">{KIND_TEXT[r.kind]}</span> <bdi>{survey?.name ?? r.surveyId}</bdi></H>
            <p class="muted">Answered {new Date(r.at).toLocaleString()} · version {r.version}</p>
            <dl>
              {answerRows(r, survey).map((row) => (
                <div key={row.fieldId}>
                  <dt><bdi>{row.label}</bdi></dt>
                  <dd dir="auto">{row.text}{row.consent !== undefined ? <><br /><q class="consent">{row.consent}</q></> : null}</dd>
                </div>
              ))}
            </dl>
          </section>
        )
      })}
    </>
  )
}
