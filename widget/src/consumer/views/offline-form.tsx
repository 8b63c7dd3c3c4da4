import { Component, createRef } from 'preact'
import type { Survey, SurveySubmission } from '@parley/sdk/contract'
import type { Strings } from '../../i18n/strings.js'
import { checkDraft, type FieldProblem, type OfflineDraft, type OfflineSender } from '../offline-message.js'
import { SurveyForm } from './survey-form.js'

/** Props of the offline message form. */
export interface OfflineFormProps {
  strings: Strings
  /** The message went: the form shows its thank-you. */
  sent: boolean
  send: OfflineSender
  onSent: () => void
  onClose: () => void
  /** The brand's offline survey (a rule's, else the brand's); absent: the built-in name, e-mail and message. */
  survey?: Survey | null
  /** Masks free text as a message is masked (the survey's answers). */
  mask: (text: string) => string
  /** The language the survey shows in (survey-answers.ts surveyLanguage). */
  language?: string
  /** Outside the brand's business hours: the brand's away message is the form's introduction. */
  away?: boolean
}

type Field = keyof OfflineDraft
interface FormState extends OfflineDraft {
  problems: Partial<Record<Field, FieldProblem>>
  sending: boolean
  failed: boolean
}

const FIELDS: readonly Field[] = ['name', 'email', 'message']

/**
 * The offline message form (a deployment rule's action when nobody can answer): name, e-mail and
 * message, each labelled and required. A field's error is tied to it (aria-describedby) and focus
 * goes to the first field to fix, so a screen reader reads both; Escape closes the form.
 */
export class OfflineForm extends Component<OfflineFormProps, FormState> {
  override state: FormState = { name: '', email: '', message: '', problems: {}, sending: false, failed: false }
  readonly #form = createRef<HTMLFormElement>()
  readonly #close = createRef<HTMLButtonElement>()

  override componentDidMount(): void {
    (this.#form.current?.querySelector('input') ?? this.#close.current)?.focus()
  }

  override componentDidUpdate(prev: OfflineFormProps): void {
    // The form gives way to the thank-you: focus stays in the dialog, on its close button.
    if (this.props.sent && !prev.sent) this.#close.current?.focus()
  }

  /** Sends the draft or the survey's answers; the form stays (with its answers) when it fails. */
  readonly #send = async (what: OfflineDraft | SurveySubmission) => {
    this.setState({ sending: true, failed: false })
    const ok = await this.props.send(what)
    this.setState({ sending: false, failed: !ok })
    if (ok) this.props.onSent()
  }

  readonly #submit = async (e: Event) => {
    e.preventDefault()
    if (this.state.sending) return
    const problems = checkDraft(this.state)
    this.setState({ problems: Object.fromEntries(problems), failed: false })
    if (problems.length > 0) {
      this.#form.current?.querySelector<HTMLElement>(`[name=${problems[0]![0]}]`)?.focus()
      return
    }
    await this.#send(this.state)
  }

  override render({ strings, sent, onClose, survey, mask, language }: OfflineFormProps, s: FormState) {
    const field = (name: Field, label: string) => {
      const problem = s.problems[name]
      const input = {
        id: `f-${name}`, name, value: s[name], required: true, 'aria-invalid': problem ? 'true' as const : undefined,
        'aria-describedby': problem ? `e-${name}` : undefined,
        onInput: (e: { currentTarget: { value: string } }) => this.setState({ [name]: e.currentTarget.value } as Pick<FormState, Field>),
      }
      return (
        <div class="ff">
          <label for={`f-${name}`}>{label}</label>
          {name === 'message'
            ? <textarea {...input} rows={4} maxLength={4000} dir="auto" />
            : <input {...input} type={name === 'email' ? 'email' : 'text'} autoComplete={name} maxLength={name === 'email' ? 254 : 128} dir="auto" />}
          {problem ? <p id={`e-${name}`} class="fe">{problem === 'email' ? strings.badEmail : strings.required}</p> : null}
        </div>
      )
    }
    return (
      <section class="w" role="dialog" aria-label={strings.offlineTitle} onKeyDown={(e) => { if (e.key === 'Escape') onClose() }}>
        <header class="h">
          <div class="t"><h2>{strings.offlineTitle}</h2></div>
          <button ref={this.#close} type="button" class="x" aria-label={strings.close} onClick={onClose}>×</button>
        </header>
        {sent ? null : survey ? (
          <SurveyForm survey={survey} strings={strings} language={language} submitLabel={strings.send} mask={mask} autoFocus
            onSubmit={(sub) => { if (!s.sending) void this.#send(sub) }} />
        ) : (
          <form ref={this.#form} class="fo" noValidate onSubmit={(e) => void this.#submit(e)}>
            <p>{this.props.away ? strings.away : strings.offlineIntro}</p>
            {FIELDS.map((f) => field(f, strings[f]))}
            <button type="submit" class="k" aria-disabled={s.sending ? 'true' : undefined}>{strings.send}</button>
          </form>
        )}
        {/* Always there, so a screen reader hears a failure or the thank-you when it comes. */}
        <p class={s.failed && !sent ? 'fs fe' : 'fs'} role="status">{sent ? strings.thanks : s.failed ? strings.sendFailed : ''}</p>
      </section>
    )
  }
}
