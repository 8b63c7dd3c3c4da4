import type { Store } from '../store.js'
import type { PgDb } from './db.js'

// The agent's day: routing offers, skills' queues and waits, quiet chats, canned replies, internal notes and attachments.

/** The Store methods this part implements. */
export type AgentsDayMethods = Pick<Store, 'createOffer' | 'endOffer' | 'expireOffer' | 'listPendingOffers' | 'listOfferedAgents' | 'listDeclinedAgents' | 'countMissedOffers' | 'pruneEndedOffers' | 'lastOfferTimes' | 'requeueConversation' | 'recentWaits' | 'closeIdleConversations' | 'listBrandsWithOpenChats' | 'listCannedReplies' | 'createCannedReply' | 'updateCannedReply' | 'deleteCannedReply' | 'addNote' | 'listNotes' | 'createAttachment' | 'getAttachment' | 'setAttachmentThumbnail' | 'listUnsentAttachments' | 'deleteAttachment'>

export function createAgentsDay(db: PgDb): AgentsDayMethods {
  void db
  return {
    async createOffer() { throw new Error('PostgreSQL store: createOffer is not built yet') },
    async endOffer() { throw new Error('PostgreSQL store: endOffer is not built yet') },
    async expireOffer() { throw new Error('PostgreSQL store: expireOffer is not built yet') },
    async listPendingOffers() { throw new Error('PostgreSQL store: listPendingOffers is not built yet') },
    async listOfferedAgents() { throw new Error('PostgreSQL store: listOfferedAgents is not built yet') },
    async listDeclinedAgents() { throw new Error('PostgreSQL store: listDeclinedAgents is not built yet') },
    async countMissedOffers() { throw new Error('PostgreSQL store: countMissedOffers is not built yet') },
    async pruneEndedOffers() { throw new Error('PostgreSQL store: pruneEndedOffers is not built yet') },
    async lastOfferTimes() { throw new Error('PostgreSQL store: lastOfferTimes is not built yet') },
    async requeueConversation() { throw new Error('PostgreSQL store: requeueConversation is not built yet') },
    async recentWaits() { throw new Error('PostgreSQL store: recentWaits is not built yet') },
    async closeIdleConversations() { throw new Error('PostgreSQL store: closeIdleConversations is not built yet') },
    async listBrandsWithOpenChats() { throw new Error('PostgreSQL store: listBrandsWithOpenChats is not built yet') },
    async listCannedReplies() { throw new Error('PostgreSQL store: listCannedReplies is not built yet') },
    async createCannedReply() { throw new Error('PostgreSQL store: createCannedReply is not built yet') },
    async updateCannedReply() { throw new Error('PostgreSQL store: updateCannedReply is not built yet') },
    async deleteCannedReply() { throw new Error('PostgreSQL store: deleteCannedReply is not built yet') },
    async addNote() { throw new Error('PostgreSQL store: addNote is not built yet') },
    async listNotes() { throw new Error('PostgreSQL store: listNotes is not built yet') },
    async createAttachment() { throw new Error('PostgreSQL store: createAttachment is not built yet') },
    async getAttachment() { throw new Error('PostgreSQL store: getAttachment is not built yet') },
    async setAttachmentThumbnail() { throw new Error('PostgreSQL store: setAttachmentThumbnail is not built yet') },
    async listUnsentAttachments() { throw new Error('PostgreSQL store: listUnsentAttachments is not built yet') },
    async deleteAttachment() { throw new Error('PostgreSQL store: deleteAttachment is not built yet') },
  }
}
