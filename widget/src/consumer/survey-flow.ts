import type { Connection, ConnectionErrorInfo, KeyValueStorage, OutboxEntry } from '@parley/sdk/connection'
import type { PublicSiteConfig, RuleAction, Survey, SurveySubmission } from '@parley/sdk/contract'
import type { TabChannel } from './other-tabs.js'
import { answeredKey, type Action, type WidgetState } from './state.js'
import { surveyLanguage, type Remembered } from './survey-answers.js'
import { preSurveyOf, surveyById } from './survey-choice.js'

// The visitor's side of surveys, apart from the chat: which pre-chat survey asks first, opening a
// conversation with its answers, offering the post-chat survey (or one an agent sent) and answering
// or skipping it, and what the relay refused. Openings and answers go through the connection's
// outbox like messages, so a reload or a lost network loses none. The controller hands it the few
// things it needs (SurveyFlowPort) and forwards the connection's events.

/** Where the visitor's earlier pre-chat answers are kept (survey-answers.ts), so they are not asked again. */
const ANSWERS_KEY = 'parley:survey-answers'
/** Where the surveys the visitor answered are kept (WidgetState.surveysAnswered), so none is offered twice. */
const ANSWERED_KEY = 'parley:surveys-answered'
/** How many answered surveys are kept: the newest, enough for the conversations a visitor still sees. */
const ANSWERED_KEPT = 50

/** What the survey flow needs of the controller. */
export interface SurveyFlowPort {
  /** The controller's deps (ControllerDeps), of which the flow reads these. */
  deps: {
    config: PublicSiteConfig
    storage: KeyValueStorage
    strings: { locale: string }
    /** The visitor's languages, preferred first (navigator.languages): a survey may speak one the widget does not. */
    visitorLanguages?: readonly string[]
    /** The deciding rule's action, whose `survey` names the pre-chat survey instead of the brand's. */
    ruleAction?: () => RuleAction | undefined
    tabs?: TabChannel
    onChatStarted?: () => void
  }
  state(): WidgetState
  apply(a: Action): void
  /** The connection, started if it was not. */
  liveConnection(): Connection
  /** A new conversation on screen (after an ended one), told to other tabs and the rules, on liveConnection(). */
  startConversation(): { conn: Connection; convId: string }
}

/** The visitor's surveys: the pre-chat form's opening, the offered survey, and their refusals. */
export class SurveyFlow {
  readonly #port: SurveyFlowPort
  /** The visitor's earlier pre-chat answers, as sent (masked). */
  #remembered: Remembered = {}

  constructor(port: SurveyFlowPort) {
    this.#port = port
  }

  /** Reads the earlier pre-chat answers the browser keeps. */
  async loadRemembered(): Promise<void> {
    this.#remembered = (await this.#port.deps.storage.get<Remembered>(ANSWERS_KEY)) ?? {}
    this.#port.apply({ type: 'surveys-answered', keys: (await this.#port.deps.storage.get<string[]>(ANSWERED_KEY)) ?? [] })
  }

  /** Deletes the remembered pre-chat answers and answered surveys (the visitor logged out: their name, e-mail…). */
  async forget(): Promise<void> {
    this.#remembered = {}
    await this.#port.deps.storage.del(ANSWERS_KEY)
    await this.#port.deps.storage.del(ANSWERED_KEY)
  }

  /** Keeps the answered surveys for the next page. */
  #saveAnswered(): void {
    void this.#port.deps.storage.set(ANSWERED_KEY, this.#port.state().surveysAnswered.slice(-ANSWERED_KEPT)).catch(() => {})
  }

  /** The pre-chat survey a new conversation would start with now (null: the first message opens it). */
  preSurvey(): Survey | null {
    return preSurveyOf(this.#port.deps.config, this.#port.deps.ruleAction?.())
  }

  /** The language `survey` shows in (survey-answers.ts surveyLanguage). */
  language(survey: Survey): string {
    return surveyLanguage(survey, this.#port.deps.visitorLanguages ?? [], this.#port.deps.strings.locale)
  }

  /** The visitor's earlier pre-chat answers (survey-answers.ts knownAnswers reads them). */
  get remembered(): Remembered {
    return this.#remembered
  }

  /**
   * Opens a new conversation with the pre-chat survey's answers (masked by the form), through the
   * outbox, so a reload or a lost network loses nothing; `remembered` is kept so the same fields are
   * not asked again.
   */
  async openWith(submission: SurveySubmission, remembered: Remembered): Promise<void> {
    const port = this.#port
    if (remembered !== this.#remembered) void port.deps.storage.set(ANSWERS_KEY, remembered).catch(() => {})
    this.#remembered = remembered
    // Other tabs and deployment rules hear of it, as of a chat a first message opens.
    const { conn, convId } = port.startConversation()
    await conn.openConversation(convId, submission)
  }

  /** Answers the survey offered in the panel (post-chat, or sent by an agent), through the outbox. */
  async answerOffered(submission: SurveySubmission): Promise<void> {
    const offer = this.#port.state().survey
    if (!offer) return
    this.#port.apply({ type: 'survey-done', answered: true })
    this.#saveAnswered()
    await this.#port.liveConnection().answerSurvey(offer.convId, submission)
  }

  /** The visitor skipped the offered survey. */
  skipSurvey(): void {
    this.#port.apply({ type: 'survey-done', answered: false })
  }

  /** The conversation `convId` just ended on screen (`wasEnded`: it had already): the post-chat survey is offered once. */
  offerPost(convId: string | null, wasEnded: boolean): void {
    const post = this.#port.deps.config.surveys?.post
    if (!wasEnded && convId && post) this.offerRequested(convId, post)
  }

  /** A survey to offer (an agent sent it, or the chat closed): offered when this page's config ships it. */
  offerRequested(convId: string, surveyId: string): void {
    if (surveyById(this.#port.deps.config, surveyId)) this.#port.apply({ type: 'survey-offer', offer: { convId, surveyId } })
  }

  /** An outbox entry the relay refused for good; false when it is a message, not an opening or an answer. */
  surveyRefused(entry: OutboxEntry, error: ConnectionErrorInfo): boolean {
    if (!entry.kind) return false
    // Answered already (another tab, or a retry the relay stored): nothing to ask again.
    if (error.code === 'PARLEY_ERR_SURVEY_ANSWERED') {
      if (entry.survey) this.#port.apply({ type: 'surveys-answered', keys: [answeredKey(entry.convId, entry.survey.surveyId)] })
      this.#saveAnswered()
      return true
    }
    this.#port.apply({ type: 'survey-refused', kind: entry.kind, convId: entry.convId, surveyId: entry.survey?.surveyId ?? null, field: error.field ?? null })
    if (entry.kind === 'answer') this.#saveAnswered()
    return true
  }
}
