import type { Strings } from '../../i18n/strings.js'
import type { ShownInvite } from '../rule-display.js'

/** Props of the invitation bubble. */
export interface InvitationProps {
  invite: ShownInvite
  strings: Strings
  onAccept: () => void
  onDismiss: () => void
}

/** A deployment rule's proactive invitation, by the launcher: "Chat" opens the chat with its message; Escape or "No thanks" dismisses it. */
export function Invitation({ invite, strings, onAccept, onDismiss }: InvitationProps) {
  return (
    <section class="rc" aria-label={strings.invitation} onKeyDown={(e) => { if (e.key === 'Escape') onDismiss() }}>
      {invite.agentName ? <p class="ra" dir="auto">{invite.agentName}</p> : null}
      <p dir="auto">{invite.message}</p>
      <div class="rb">
        <button type="button" class="k" onClick={onAccept}>{strings.accept}</button>
        <button type="button" class="q" onClick={onDismiss}>{strings.dismiss}</button>
      </div>
    </section>
  )
}
