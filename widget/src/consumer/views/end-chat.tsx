import { Component, createRef } from 'preact'
import type { Strings } from '../../i18n/strings.js'
import { handFocus } from './hand-focus.js'

/** Props of the visitor's End chat control. */
interface EndChatProps {
  strings: Strings
  /** The visitor confirmed: the chat closes (Controller.endChat). */
  onEnd: () => void
}

/**
 * "End chat" under the header, with a confirm step ("End this chat?" Yes / No) so a stray click
 * or tap ends nothing. Focus moves to No when asked, and back to End chat on No.
 */
export class EndChat extends Component<EndChatProps, { asking: boolean }> {
  override state = { asking: false }
  readonly #row = createRef<HTMLDivElement>()

  override componentDidUpdate(_: EndChatProps, was: { asking: boolean }): void {
    if (was.asking !== this.state.asking) this.#row.current?.querySelector<HTMLElement>(this.state.asking ? '.q' : 'button')?.focus()
  }

  override componentWillUnmount(): void {
    handFocus(this.#row.current)
  }

  override render({ strings, onEnd }: EndChatProps, { asking }: { asking: boolean }) {
    return (
      <div ref={this.#row} class="ec" role="group" aria-label={strings.endChat}>
        {asking ? (
          <>
            <span>{strings.endChatAsk}</span>
            <button type="button" class="k" onClick={() => { onEnd(); this.setState({ asking: false }) }}>{strings.yes}</button>
            <button type="button" class="q" onClick={() => this.setState({ asking: false })}>{strings.no}</button>
          </>
        ) : <button type="button" class="sk" onClick={() => this.setState({ asking: true })}>{strings.endChat}</button>}
      </div>
    )
  }
}
