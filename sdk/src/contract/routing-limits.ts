// The numbers of automatic routing that the relay's schemas (routing.ts) and the console's controls
// share. No TypeBox here, so the console imports them without the schema library.

/** Seconds an offered chat waits for the agent to accept before it goes to the next agent. */
export const DEFAULT_OFFER_TIMEOUT_SEC = 30
export const MIN_OFFER_TIMEOUT_SEC = 5
export const MAX_OFFER_TIMEOUT_SEC = 600
/** Minutes without a visitor message after which an open live chat closes itself (0: never). */
export const DEFAULT_INACTIVITY_CLOSE_MIN = 30
export const MAX_INACTIVITY_CLOSE_MIN = 1440
/** The most skills (teams) one agent may have. */
export const MAX_AGENT_SKILLS = 20
/** Shortcut of a canned reply, typed after `/` in the composer. */
export const CANNED_SHORTCUT_PATTERN = '^[a-z0-9][a-z0-9_-]{0,31}$'
/** The longest title of a canned reply, in characters. */
export const MAX_CANNED_TITLE = 128
/** The longest text of a canned reply, in characters. */
export const MAX_CANNED_TEXT = 4000
/** The most canned replies a brand (all its scopes together) may keep. */
export const MAX_CANNED_REPLIES = 2000
/** The longest internal note, in characters. */
export const MAX_NOTE_TEXT = 4000
