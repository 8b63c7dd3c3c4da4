// Entry point of `@parley/sdk/canned`: canned replies' logic, run by the console as the agent types
// and by the relay's search. Pure: no Node or DOM APIs, and no TypeBox values.
//
//   fillPlaceholders   placeholders.ts  `{visitor.name|there}` and friends, filled as plain text
//   typedShortcut      shortcut.ts      the `/word` at the composer's caret
//   findByShortcut     shortcut.ts      the reply `/refund` names (the agent's own wins)
//   cannedShortcutOf   shortcut.ts      the shortcut the form's input stands for, or null
//   matchesCannedQuery search.ts        the search filter (shortcut, title, text; any case)
//   rankCannedReplies  search.ts        the matches, best first
export { fillPlaceholders, CANNED_PLACEHOLDERS, type PlaceholderValues } from './placeholders.js'
export { typedShortcut, findByShortcut, cannedShortcutOf, type TypedShortcut, type CannedReplyLike } from './shortcut.js'
export { matchesCannedQuery, rankCannedReplies } from './search.js'
