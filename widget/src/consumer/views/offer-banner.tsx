import { Component } from 'preact'
import type { Strings } from '../../i18n/strings.js'
import type { ShownOffer } from '../rule-display.js'

/** Props of the offer banner. */
export interface OfferBannerProps {
  offer: ShownOffer
  strings: Strings
  /** The visitor copied the code or followed the link. */
  onUse: () => void
  onDismiss: () => void
}

/** A deployment rule's offer: its text, a coupon code with a copy button, a link; Escape or "No thanks" dismisses it. */
export class OfferBanner extends Component<OfferBannerProps, { copied: boolean }> {
  override state = { copied: false }

  readonly #copy = () => {
    const { offer, onUse } = this.props
    onUse()
    // The clipboard may be refused (an insecure page, a browser policy): the code stays on screen to copy by hand.
    void navigator.clipboard?.writeText(offer.code!).then(() => this.setState({ copied: true }), () => {})
  }

  override render({ offer, strings, onUse, onDismiss }: OfferBannerProps, { copied }: { copied: boolean }) {
    return (
      <section class="rc" aria-label={strings.offerLabel} onKeyDown={(e) => { if (e.key === 'Escape') onDismiss() }}>
        <p dir="auto">{offer.text}</p>
        {offer.code ? (
          <p class="rd">
            <code dir="ltr">{offer.code}</code>
            <button type="button" class="q" onClick={this.#copy}>{strings.copyCode}</button>
          </p>
        ) : null}
        <p class="v" role="status">{copied ? strings.copied : ''}</p>
        <div class="rb">
          {offer.link ? <a class="k" href={offer.link.url} target="_blank" rel="noopener" onClick={onUse} dir="auto">{offer.link.label}</a> : null}
          <button type="button" class="q" onClick={onDismiss}>{strings.dismiss}</button>
        </div>
      </section>
    )
  }
}
