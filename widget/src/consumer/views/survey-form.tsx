import { Component, createRef } from 'preact'
import type { AnswerValue, Answers, Survey, SurveyField, SurveySubmission } from '@parley/sdk/contract'
import { answerProblems, visibleFields, type AnswerProblem } from '@parley/sdk/surveys'
import type { Strings } from '../../i18n/strings.js'
import { submissionOf, textOf } from '../survey-answers.js'
import { problemText } from '../survey-problem-text.js'
import { handFocus } from './hand-focus.js'

/** Props of a survey form. */
export interface SurveyFormProps {
  survey: Survey
  strings: Strings
  /** Answers given before (a pre-chat form's): their fields are not shown, and they go along. */
  known?: Answers
  /** The language the survey's texts show in (survey-answers.ts surveyLanguage); the widget's own words stay in `strings`. */
  language?: string | undefined
  /** The submit button's label when the survey has none of its own. */
  submitLabel: string
  /** Masks free text as a message is masked, before anything leaves the form. */
  mask: (text: string) => string
  /** The answers are valid: the submission (masked) and the answers as sent. */
  onSubmit: (submission: SurveySubmission) => void
  /** Offered (post-chat): the visitor may skip it. */
  onSkip?: () => void
  /** A field the relay refused: shown as a problem until the visitor changes it. */
  refusedField?: string | null
  /** Puts focus in the form when it appears. */
  autoFocus?: boolean
}

interface FormState {
  answers: Answers
  /**
   * Fields the visitor typed in or picked in: their problems show. After a submit, every field's do.
   * Leaving a field marks nothing: a click's mousedown blurs the focused field, and an error shown
   * then pushes the button down before the mouseup, so the click would land above it.
   */
  touched: Record<string, true>
  submitted: boolean
  /** What the live region says: the problem of the field just checked, or how many to fix. */
  said: string
}

const SCALE_TYPES = new Set(['rating', 'csat', 'nps'])
const ONE_LINE: Record<string, string> = { text: 'text', email: 'email', phone: 'tel', number: 'text' }

/**
 * A form for any survey, in the widget's language: every field type, conditions (a field shows
 * when its condition holds), validation as the visitor types or picks, each error tied to
 * its field (aria-describedby, aria-invalid) and said in one polite live region; a submit with
 * problems puts focus on the first field to fix.
 */
export class SurveyForm extends Component<SurveyFormProps, FormState> {
  override state: FormState = { answers: {}, touched: {}, submitted: false, said: '' }
  readonly #form = createRef<HTMLFormElement>()

  override componentDidMount(): void {
    if (this.props.autoFocus) this.#form.current?.querySelector<HTMLElement>('input,textarea')?.focus()
  }

  override componentWillUnmount(): void {
    handFocus(this.#form.current)
  }

  /** Every answer: the known ones, then the visitor's. */
  #all(): Answers {
    return { ...this.props.known, ...this.state.answers }
  }

  #problems(all: Answers): Map<string, AnswerProblem> {
    const out = new Map(answerProblems(this.props.survey, all).map((p) => [p.field, p]))
    const refused = this.props.refusedField
    if (refused && !out.has(refused) && !(refused in this.state.answers)) out.set(refused, { field: refused, code: 'type' })
    return out
  }

  #set(id: string, value: AnswerValue | undefined): void {
    const answers = { ...this.state.answers }
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) delete answers[id]
    else answers[id] = value
    const touched = this.state.touched[id] ? this.state.touched : { ...this.state.touched, [id]: true as const }
    const problem = this.#problems({ ...this.props.known, ...answers }).get(id)
    this.setState({ answers, touched, said: problem ? problemText(this.props.strings, problem, this.props.survey.fields.find((f) => f.id === id)?.type) : '' })
  }

  readonly #submit = (e: Event) => {
    e.preventDefault()
    const { survey, known, strings, mask, onSubmit } = this.props
    const all = this.#all()
    const problems = [...this.#problems(all).values()]
    if (problems.length > 0) {
      this.setState({ submitted: true, said: strings.fixAnswers })
      this.#form.current?.querySelector<HTMLElement>(`[data-f="${problems[0]!.field}"]`)?.focus()
      return
    }
    // Only what is shown goes (a hidden field's answer is dropped), plus what was known before.
    const shown = new Set(visibleFields(survey, all).map((f) => f.id))
    const answers = Object.fromEntries(Object.entries(all).filter(([id]) => shown.has(id) || (known && id in known)))
    onSubmit(submissionOf(survey, answers, this.props.language ?? strings.locale, mask))
  }

  override render({ survey, strings, known, language, submitLabel, onSkip }: SurveyFormProps, s: FormState) {
    const text = textOf(survey, language ?? strings.locale)
    const all = this.#all()
    const problems = this.#problems(all)
    const fields = visibleFields(survey, all).filter((f) => !(known && f.id in known))
    return (
      <form ref={this.#form} class="fo sv" noValidate onSubmit={this.#submit}>
        {survey.title ? <h3><bdi>{text(survey.title)}</bdi></h3> : null}
        {survey.intro ? <p><bdi>{text(survey.intro)}</bdi></p> : null}
        {/* The usual pattern: a visible "*" (hidden from screen readers, which hear required on the field itself) explained once. */}
        {fields.some((f) => f.required) ? <p class="fh">{strings.requiredNote}</p> : null}
        {fields.map((f) => this.#field(f, text, s.submitted || s.touched[f.id] ? problems.get(f.id) : undefined))}
        <div class="sb">
          <button type="submit" class="k">{survey.submitLabel ? text(survey.submitLabel) : submitLabel}</button>
          {onSkip ? <button type="button" class="sk" onClick={onSkip}>{strings.skip}</button> : null}
        </div>
        <p class="v" aria-live="polite">{s.said}</p>
      </form>
    )
  }

  #field(f: SurveyField, text: (t: SurveyField['label'] | undefined) => string, problem: AnswerProblem | undefined) {
    const { strings } = this.props
    const id = `q-${f.id}`
    const value = this.state.answers[f.id]
    const described = [f.help ? `${id}-h` : '', problem ? `${id}-e` : '', f.type === 'nps' ? `${id}-n` : ''].filter(Boolean).join(' ') || undefined
    const aria = { 'aria-invalid': problem ? 'true' as const : undefined, 'aria-describedby': described }
    const help = f.help ? <p id={`${id}-h`} class="fh"><bdi>{text(f.help)}</bdi></p> : null
    const error = problem ? <p id={`${id}-e`} class="fe">{problemText(strings, problem, f.type)}</p> : null
    const label = <><bdi>{text(f.label)}</bdi>{f.required ? <span aria-hidden="true"> *</span> : null}</>

    if (f.type === 'consent') {
      return (
        <div class="ff fc" key={f.id}>
          <label>
            <input type="checkbox" data-f={f.id} checked={value === true} required={f.required} aria-required={f.required ? 'true' : undefined} {...aria}
              onChange={(e) => this.#set(f.id, e.currentTarget.checked || undefined)} />
            <span>{label}</span>
          </label>
          {help}{error}
        </div>
      )
    }
    if (f.type === 'text' || f.type === 'email' || f.type === 'phone' || f.type === 'number' || f.type === 'longtext') {
      const input = {
        id, 'data-f': f.id, required: f.required, 'aria-required': f.required ? 'true' as const : undefined, ...aria, dir: 'auto' as const,
        placeholder: f.placeholder ? text(f.placeholder) : undefined,
        value: value === undefined ? '' : String(value),
        maxLength: f.type === 'number' ? undefined : f.maxLength,
        onInput: (e: { currentTarget: { value: string } }) => this.#set(f.id, f.type === 'number' ? numberOf(e.currentTarget.value) : e.currentTarget.value),
      }
      return (
        <div class="ff" key={f.id}>
          <label for={id}>{label}</label>
          {help}
          {f.type === 'longtext'
            ? <textarea {...input} rows={3} />
            : <input {...input} type={ONE_LINE[f.type]} inputMode={f.type === 'number' ? 'decimal' : undefined}
              autoComplete={f.purpose === 'email' ? 'email' : f.purpose === 'phone' ? 'tel' : f.purpose === 'name' ? 'name' : undefined} />}
          {error}
        </div>
      )
    }
    // The rest are picks: radio buttons (one) or checkboxes (several), in a labelled group.
    const many = f.type === 'multichoice'
    const options: [AnswerValue, string][] = f.type === 'yesno'
      ? [[true, strings.yes], [false, strings.no]]
      : SCALE_TYPES.has(f.type) ? scale(f.type, strings) : (f.options ?? []).map((o) => [o.value, text(o.label)])
    const picked = (v: AnswerValue) => (many ? Array.isArray(value) && value.includes(v as string) : value === v)
    const pick = (v: AnswerValue, on: boolean) => {
      if (!many) return this.#set(f.id, v)
      const list = Array.isArray(value) ? value.filter((x) => x !== v) : []
      this.#set(f.id, on ? [...list, v as string] : list)
    }
    return (
      <fieldset class={SCALE_TYPES.has(f.type) ? 'ff fg sc' : 'ff fg'} key={f.id}>
        {/* A group has no required state of its own: its legend says it. */}
        <legend>{label}{f.required ? <span class="v"> {strings.requiredWord}</span> : null}</legend>
        {help}
        {f.type === 'nps' ? <p id={`${id}-n`} class="fh">{strings.npsEnds}</p> : null}
        <div class="fr">
          {options.map(([v, l], i) => (
            <label key={String(v)}>
              <input type={many ? 'checkbox' : 'radio'} name={id} data-f={i === 0 ? f.id : undefined} checked={picked(v)}
                required={!many && f.required} {...aria} onChange={(e) => pick(v, e.currentTarget.checked)} />
              <bdi>{l}</bdi>
            </label>
          ))}
        </div>
        {error}
      </fieldset>
    )
  }
}

/** The number typed, or the text when it is none (the validator says so). */
function numberOf(raw: string): AnswerValue | undefined {
  const t = raw.trim().replace(',', '.')
  if (!t) return undefined
  const n = Number(t)
  return Number.isFinite(n) ? n : raw
}

/** A scale's points with their labels: the number, and for CSAT its word too; NPS runs 0–10. */
function scale(type: string, strings: Strings): [number, string][] {
  const words = strings.csatScale.split('|')
  return Array.from({ length: type === 'nps' ? 11 : 5 }, (_, i) => {
    const n = type === 'nps' ? i : i + 1
    return [n, type === 'csat' ? `${n} ${words[i]}` : String(n)]
  })
}
