import { Component, createRef } from 'preact'
import type { SurveySubmission } from '@parley/sdk/contract'
import { plural } from '../../i18n/plural.js'
import type { Strings } from '../../i18n/strings.js'
import { textLimitHint } from '../../ui/text-limit.js'
import type { Controller } from '../controller.js'
import { handFocus } from './hand-focus.js'

/** Props of the message box. */
interface ComposerProps {
  controller: Controller
  strings: Strings
  autoFocus: boolean
  /** The pre-chat answers a new chat opens with, all known from before (Controller.send). */
  opening?: SurveySubmission | null
}

/** The message box: Enter sends, Shift+Enter adds a line. Near the relay's limit it counts down; over it, it says by how much and does not send. */
export class Composer extends Component<ComposerProps, { text: string }> {
  override state = { text: '' }
  readonly #box = createRef<HTMLTextAreaElement>()

  override componentDidMount(): void {
    if (this.props.autoFocus) this.#box.current?.focus()
  }

  override componentDidUpdate(prev: ComposerProps): void {
    if (this.props.autoFocus && !prev.autoFocus) this.#box.current?.focus()
  }

  override componentWillUnmount(): void {
    handFocus(this.#box.current)
  }

  override render({ controller, strings }: ComposerProps, { text }: { text: string }) {
    const hint = textLimitHint(text.trim(), controller.state.maxText)
    const send = () => {
      if (!text.trim() || hint.kind === 'over') return
      void controller.send(text, this.props.opening)
      this.setState({ text: '' })
    }
    return (
      <>
        <p id="lh" class={hint.kind === 'over' ? 'lh f' : 'lh'} role="status" aria-live="polite">
          {hint.kind === 'left' ? plural(strings.locale, strings.charsLeft, hint.n) : hint.kind === 'over' ? plural(strings.locale, strings.charsOver, hint.n) : ''}
        </p>
        <form class="c" onSubmit={(e) => { e.preventDefault(); send() }}>
          <textarea ref={this.#box} rows={1} aria-label={strings.message} placeholder={strings.placeholder} value={text}
            aria-describedby="lh" aria-invalid={hint.kind === 'over' ? 'true' : undefined}
            onInput={(e) => { this.setState({ text: e.currentTarget.value }); controller.typing(e.currentTarget.value.length > 0) }}
            onKeyDown={(e) => { if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); send() } }} />
          <button type="submit">{strings.send}</button>
        </form>
      </>
    )
  }
}
