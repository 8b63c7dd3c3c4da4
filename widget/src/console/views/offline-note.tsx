import type { OfflineContact } from '@parley/sdk/contract'

/**
 * Marks a conversation left through the offline form: nobody was there to answer live, so the
 * agent answers by e-mail to the name and address the visitor gave.
 */
export function OfflineNote({ contact }: { contact: OfflineContact }) {
  return (
    <p class="offline-note" role="note">
      <span class="tag">Offline message</span> from <bdi>{contact.name}</bdi>{' '}
      &lt;<a href={`mailto:${encodeURIComponent(contact.email).replace(/%40/g, '@')}`}><bdi>{contact.email}</bdi></a>&gt;
    </p>
  )
}
