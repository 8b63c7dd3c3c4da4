import type { PublicSiteConfig, TrackingSetting } from '@parley/sdk/contract'
import { fill, plural } from '../../i18n/plural.js'
import { queueText } from '../queue-text.js'
import type { Strings } from '../../i18n/strings.js'
import type { Controller } from '../controller.js'
import { isConnectionLost } from '../state.js'
import { safeLogoUrl } from '../../ui/logo-url.js'
import { knownAnswers, leftToAsk, rememberAnswers } from '../survey-answers.js'
import { surveyById } from '../survey-choice.js'
import { Composer } from './composer.js'
import { EndChat } from './end-chat.js'
import { MessageList } from './message-list.js'
import { SurveyForm } from './survey-form.js'

/** "Dana is typing…". */
function typingText(name: string | null, strings: Strings): string {
  return fill(strings.typing, name ?? strings.someone)
}

/** Props of the chat panel. */
export interface PanelProps {
  controller: Controller
  strings: Strings
  config: PublicSiteConfig
  tracking: TrackingSetting
  sharing: boolean
  setConsent: (yes: boolean) => void
  /** Outside the brand's business hours: the away message stands in for the greeting. */
  away?: boolean
}

/**
 * The chat window (its own chunk, loaded on the visitor's intent). With a pre-chat survey, a new
 * conversation starts with its form in place of the messages; a survey offered after the chat (or
 * sent by an agent) shows under them, with Skip.
 */
export function Panel({ controller, strings, config, tracking, sharing, setConsent, away }: PanelProps) {
  const s = controller.state
  const logo = safeLogoUrl(config.widget.logoUrl)
  const mask = (t: string) => controller.mask(t).text
  const flow = controller.surveyFlow
  const pre = flow.preSurvey()
  // The pre-chat survey's language and what is left to ask matter only while no chat is under way.
  const before = pre && (!s.convId || s.ended) ? pre : null
  const language = before ? flow.language(before) : strings.locale
  const known = before ? knownAnswers(before, flow.remembered, language) : null
  const left = before && known ? leftToAsk(before, known) : false
  // Nothing left to ask (every field answered before): the composer shows, and the first message opens the chat with those answers.
  const asking = before && known && !s.convId && left ? before : null
  const opening = before && known && !left ? { surveyId: before.id, version: before.version ?? 1, answers: known, language } : null
  const offered = s.survey ? surveyById(config, s.survey.surveyId) : null
  const note = s.surveyNote === 'failed' ? strings.surveyFailed : s.surveysWaiting > 0 ? strings.surveyWaiting : s.surveyNote === 'thanks' ? strings.surveyThanks : ''
  return (
    <section class="w" role="dialog" aria-label={strings.title} onKeyDown={(e) => { if (e.key === 'Escape') controller.close() }}>
      <header class="h">
        {logo ? <img src={logo} alt="" /> : null}
        <div class="t">
          <h2>{strings.title}</h2>
          <p role="status">{s.ended ? strings.chatEnded : s.agentName ? fill(strings.assigned, s.agentName) : s.online && s.queue ? queueText(s.queue, strings) : s.online || !s.convId ? '\u00a0' : strings.connecting}</p>
        </div>
        <button type="button" class="x" aria-label={strings.closeChat} onClick={() => controller.close()}>×</button>
      </header>
      {s.convId && !s.ended ? <EndChat strings={strings} onEnd={() => controller.endChat()} /> : null}
      {isConnectionLost(s) ? <div class="o1" role="status">{strings.offline}</div> : null}
      {/*
        One scroll area: with a survey offered, the messages and the form scroll together, so neither
        is cut off in a half of the panel.
      */}
      <div class={offered ? 'sa s2' : 'sa'}>
        {asking ? (
          <SurveyForm key={asking.id} survey={asking} strings={strings} language={language} known={known!}
            submitLabel={strings.startChat} mask={mask} refusedField={s.refusedField} autoFocus={s.open}
            onSubmit={(sub) => void flow.openWith(sub, rememberAnswers(flow.remembered, asking, sub.answers, language))} />
        ) : (
          <MessageList messages={s.messages} earlier={s.earlier} earlierMore={s.earlierMore} earlierFailed={s.earlierFailures > 0} agentReadSeq={s.agentReadSeq} greeting={away && !s.convId ? strings.away : strings.greeting} invitation={s.invitation} strings={strings} controller={controller} />
        )}
        <div class="y" aria-live="polite">{s.agentTyping ? typingText(s.agentName, strings) : ''}</div>
        {s.ended ? <div class="n" role="status">{s.endedInactiveMin ? plural(strings.locale, strings.closedInactive, s.endedInactiveMin) : strings.closed}</div> : null}
        {offered && s.survey ? (
          <SurveyForm key={`${s.survey.convId}/${offered.id}`} survey={offered} strings={strings} language={flow.language(offered)} submitLabel={strings.sendAnswers} mask={mask}
            refusedField={s.refusedField} onSubmit={(sub) => void flow.answerOffered(sub)} onSkip={() => flow.skipSurvey()} />
        ) : null}
      </div>
      {/* Always there, so a screen reader hears that answers are waiting, were stored or refused. */}
      <p class={s.surveyNote === 'failed' ? 'mk fe' : 'mk'} role="status">{note}</p>
      {/* Always there, so a screen reader hears the notice when it appears; polite, not an alert. */}
      <p class="mk" role="status" aria-live="polite">{s.masked === 'card' ? strings.maskedCard : s.masked ? strings.masked : ''}</p>
      {tracking !== 'off' ? (
        <label class="z">
          <input type="checkbox" checked={sharing} onChange={(e) => setConsent(e.currentTarget.checked)} />
          <span>{strings.shareActivity}</span>
        </label>
      ) : null}
      {asking ? null : s.ended && pre ? (
        <div class="c"><button type="button" class="k" onClick={() => controller.newChat()}>{strings.newChat}</button></div>
      ) : <Composer controller={controller} strings={strings} autoFocus={s.open && !offered} opening={opening} />}
    </section>
  )
}
