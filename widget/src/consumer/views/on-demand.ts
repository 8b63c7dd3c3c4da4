// The views only some visitors need, in one chunk the widget loads on demand (app.tsx): the chat
// window when it opens, and a deployment rule's invitation, offer or offline form when one shows.
// The decision code stays in the entry.
export { Panel } from './panel.js'
export { Invitation } from './invitation.js'
export { OfferBanner } from './offer-banner.js'
export { OfflineForm } from './offline-form.js'
