import { Type, type Static } from '@sinclair/typebox'
import { Id, Timestamp } from './ids.js'
import { CANNED_SHORTCUT_PATTERN, MAX_CANNED_TEXT, MAX_CANNED_TITLE } from './routing-limits.js'

// Canned replies: saved answers an agent inserts by typing `/shortcut` in the composer or picking
// from a searchable list. Brand-wide ones every agent sees; personal ones only their owner. The text
// may hold placeholders (`{visitor.name}`, `{agent.name}`, with a fallback `{visitor.name|there}`),
// filled in by the console when inserted (@parley/sdk/canned).

const strict = { additionalProperties: false } as const

/** `brand`: every agent of the brand sees it. `personal`: only the agent who made it. */
export const CannedScope = Type.Union([Type.Literal('brand'), Type.Literal('personal')])
export type CannedScope = Static<typeof CannedScope>

/** What follows `/` in the composer: lowercase letters, digits, `_` and `-`, at most 32. */
export const CannedShortcut = Type.String({ minLength: 1, maxLength: 32, pattern: CANNED_SHORTCUT_PATTERN })

/** A stored canned reply. */
export const CannedReply = Type.Object({
  replyId: Id,
  scope: CannedScope,
  /** The agent a personal reply belongs to. */
  ownerAgentId: Type.Optional(Id),
  shortcut: CannedShortcut,
  title: Type.String({ minLength: 1, maxLength: MAX_CANNED_TITLE }),
  text: Type.String({ minLength: 1, maxLength: MAX_CANNED_TEXT }),
  updatedAt: Timestamp,
}, strict)
export type CannedReply = Static<typeof CannedReply>

/**
 * POST /v1/canned-replies: a new reply. `personal` needs an agent's token (it is theirs); `brand`
 * an agent's token or the brand's API key. A shortcut is unique within its scope (a personal one may
 * shadow a brand one: the agent's own wins in the composer).
 */
export const CannedReplyInput = Type.Object({
  scope: CannedScope,
  shortcut: CannedShortcut,
  title: Type.String({ minLength: 1, maxLength: MAX_CANNED_TITLE }),
  text: Type.String({ minLength: 1, maxLength: MAX_CANNED_TEXT }),
}, strict)
export type CannedReplyInput = Static<typeof CannedReplyInput>

/** PATCH /v1/canned-replies/:replyId: the fields given change (the scope never does). */
export const CannedReplyPatch = Type.Object({
  shortcut: Type.Optional(CannedShortcut),
  title: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_CANNED_TITLE })),
  text: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_CANNED_TEXT })),
}, strict)
export type CannedReplyPatch = Static<typeof CannedReplyPatch>

/** GET /v1/canned-replies query: `q` matches shortcut, title and text (case-insensitive); `scope` narrows. */
export const CannedReplyQuery = Type.Object({
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  scope: Type.Optional(CannedScope),
}, strict)
export type CannedReplyQuery = Static<typeof CannedReplyQuery>

/** The answer to GET /v1/canned-replies: an agent's token sees the brand's and their own; the API key the brand's. By shortcut. */
export const CannedReplyList = Type.Object({ replies: Type.Array(CannedReply) }, strict)
export type CannedReplyList = Static<typeof CannedReplyList>

/** Path parameter holding a canned reply id. */
export const CannedReplyParams = Type.Object({ replyId: Id }, strict)
export type CannedReplyParams = Static<typeof CannedReplyParams>
