import { Component, createRef } from 'preact'
import { MAX_MESSAGE_ATTACHMENTS, type SurveySubmission } from '@parley/sdk/contract'
import { fileSize } from '../../ui/attachment-list.js'
import { plural } from '../../i18n/plural.js'
import type { Strings } from '../../i18n/strings.js'
import { textLimitHint } from '../../ui/text-limit.js'
import type { Controller } from '../controller.js'
import { filePolicy, fileProblem } from '../file-check.js'
import { handFocus } from './hand-focus.js'

/** Props of the message box. */
interface ComposerProps {
  controller: Controller
  strings: Strings
  autoFocus: boolean
  /** The pre-chat answers a new chat opens with, all known from before (Controller.send). */
  opening?: SurveySubmission | null
}

/** What the composer holds: the text, and why the last files chosen could not go (if so). */
interface ComposerState {
  text: string
  fileNote: string
}

/**
 * The message box: Enter sends, Shift+Enter adds a line. Near the relay's limit it counts down; over it, it says by how much and does not send.
 * When the brand takes files from visitors, a button (or a pasted image) sends files, checked against its types and size first.
 */
export class Composer extends Component<ComposerProps, ComposerState> {
  override state = { text: '', fileNote: '' }
  readonly #box = createRef<HTMLTextAreaElement>()
  readonly #picker = createRef<HTMLInputElement>()

  /** Sends the files the brand takes, at once, as a message of their own; says why any other could not go. */
  #attach(files: readonly File[]): void {
    const policy = filePolicy(this.props.controller.deps.config.widget.attachments)
    if (!policy || files.length === 0) return
    const { strings } = this.props
    let fileNote = ''
    const ok = files.filter((f) => {
      const problem = fileProblem(policy, f)
      if (problem) fileNote = problem === 'type' ? strings.fileType : strings.fileTooLarge.replace('%s', fileSize(policy.maxBytes))
      return !problem
    }).slice(0, MAX_MESSAGE_ATTACHMENTS)
    this.setState({ fileNote })
    if (ok.length) void this.props.controller.send('', this.props.opening, ok)
  }

  override componentDidMount(): void {
    if (this.props.autoFocus) this.#box.current?.focus()
  }

  override componentDidUpdate(prev: ComposerProps): void {
    if (this.props.autoFocus && !prev.autoFocus) this.#box.current?.focus()
  }

  override componentWillUnmount(): void {
    handFocus(this.#box.current)
  }

  override render({ controller, strings }: ComposerProps, { text, fileNote }: ComposerState) {
    const policy = filePolicy(controller.deps.config.widget.attachments)
    const hint = textLimitHint(text.trim(), controller.state.maxText)
    const send = () => {
      if (!text.trim() || hint.kind === 'over') return
      void controller.send(text, this.props.opening)
      this.setState({ text: '' })
    }
    return (
      <>
        <p id="lh" class={hint.kind === 'over' || fileNote ? 'lh f' : 'lh'} role="status" aria-live="polite">
          {fileNote || (hint.kind === 'left' ? plural(strings.locale, strings.charsLeft, hint.n) : hint.kind === 'over' ? plural(strings.locale, strings.charsOver, hint.n) : '')}
        </p>
        <form class="c" onSubmit={(e) => { e.preventDefault(); send() }}>
          <textarea ref={this.#box} rows={1} aria-label={strings.message} placeholder={strings.placeholder} value={text}
            aria-describedby="lh" aria-invalid={hint.kind === 'over' ? 'true' : undefined}
            onInput={(e) => { this.setState({ text: e.currentTarget.value }); controller.typing(e.currentTarget.value.length > 0) }}
            onKeyDown={(e) => { if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); send() } }}
            onPaste={(e) => {
              const files = [...(e.clipboardData?.files ?? [])]
              if (!policy || files.length === 0) return
              e.preventDefault()
              this.#attach(files)
            }} />
          {policy ? (
            <>
              <input ref={this.#picker} type="file" hidden multiple accept={policy.types.join(',')}
                onChange={(e) => { this.#attach([...(e.currentTarget.files ?? [])]); e.currentTarget.value = '' }} />
              <button type="button" class="ab" aria-label={strings.attach} title={strings.attach} onClick={() => this.#picker.current?.click()}>+</button>
            </>
          ) : null}
          <button type="submit">{strings.send}</button>
        </form>
      </>
    )
  }
}
