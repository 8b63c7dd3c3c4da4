import type { Store } from '../store.js'
import type { PgDb } from './db.js'
import { createRoutingOffers } from './routing-offers.js'
import { createWaiting } from './waiting.js'
import { createCannedReplies } from './canned-replies.js'
import { createNotes } from './notes.js'
import { createAttachments } from './attachments.js'

// The agent's day: routing offers, skills' queues and waits, quiet chats, canned replies, internal
// notes and attachments, each in a module of its own. Their sweeps over every brand go through the
// SECURITY DEFINER functions of schema/004-agents-day.ts.

/** The Store methods this part implements. */
export type AgentsDayMethods = Pick<Store, 'createOffer' | 'endOffer' | 'expireOffer' | 'listPendingOffers' | 'listOfferedAgents' | 'listDeclinedAgents' | 'countMissedOffers' | 'pruneEndedOffers' | 'lastOfferTimes' | 'requeueConversation' | 'recentWaits' | 'closeIdleConversations' | 'listBrandsWithOpenChats' | 'listCannedReplies' | 'createCannedReply' | 'updateCannedReply' | 'deleteCannedReply' | 'addNote' | 'listNotes' | 'createAttachment' | 'getAttachment' | 'setAttachmentThumbnail' | 'listUnsentAttachments' | 'deleteAttachment'>

/** The agent's day methods of the PostgreSQL store. */
export function createAgentsDay(db: PgDb): AgentsDayMethods {
  return {
    ...createRoutingOffers(db),
    ...createWaiting(db),
    ...createCannedReplies(db),
    ...createNotes(db),
    ...createAttachments(db),
  }
}
