import { Type, type Static } from '@sinclair/typebox'

/**
 * A client-chosen or relay-chosen identifier: 1–64 characters of [A-Za-z0-9_-]. Clients make
 * message and new-conversation ids themselves (e.g. a UUID or a 21-character nanoid) so a retry
 * carries the same id.
 */
export const Id = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' })
export type Id = Static<typeof Id>

/** A per-conversation sequence number assigned by the relay, starting at 1. */
export const Seq = Type.Integer({ minimum: 0 })
export type Seq = Static<typeof Seq>

/** Milliseconds since the Unix epoch, as assigned by the relay. */
export const Timestamp = Type.Integer({ minimum: 0 })
export type Timestamp = Static<typeof Timestamp>
