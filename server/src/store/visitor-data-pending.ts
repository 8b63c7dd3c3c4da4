import type { VisitorDataStore } from './store.js'

// Placeholder for the data-rights store methods while each store builds its own (issue 19): every
// call fails loudly, so nothing can mistake a missing implementation for an empty answer. Removed
// once both stores implement VisitorDataStore.

const METHODS: Record<keyof VisitorDataStore, true> = {
  findVisitorIds: true, getVisitor: true, listVisitorConversations: true, listConsentEvents: true, recordConsent: true,
  correctContact: true, correctSurveyAnswers: true, eraseConversations: true, eraseVisitor: true, scrubFreePages: true, setLegalHold: true,
  listExpiredConversations: true, getPrivacyConfig: true, setPrivacyConfig: true, createErasureRequest: true,
  getErasureRequest: true, listErasureRequests: true, cancelErasureRequest: true, claimDueErasureRequests: true, completeErasureRequest: true,
}

/** The data-rights methods of `store`, each throwing until implemented. */
export function pendingVisitorData(store: string): VisitorDataStore {
  return Object.fromEntries(Object.keys(METHODS).map((name) => [name, () => Promise.reject(new Error(`${store} store: ${name} is not implemented yet`))])) as unknown as VisitorDataStore
}
