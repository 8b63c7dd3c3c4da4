import type { Store } from '../store.js'
import type { PgDb } from './db.js'

// Conversations and who takes part in them: opening, joining, assigning, closing, the queue, read cursors.

/** The Store methods this part implements. */
export type ConversationsMethods = Pick<Store, 'countActiveChats' | 'getConversation' | 'listParticipantConversations' | 'joinConversation' | 'isParticipant' | 'listConversationAgents' | 'closeConversation' | 'assignConversation' | 'listQueue' | 'countQueue' | 'countWaitingChats' | 'updateVisitorContext' | 'openConversation' | 'markRead'>

export function createConversations(db: PgDb): ConversationsMethods {
  void db
  return {
    async countActiveChats() { throw new Error('PostgreSQL store: countActiveChats is not built yet') },
    async getConversation() { throw new Error('PostgreSQL store: getConversation is not built yet') },
    async listParticipantConversations() { throw new Error('PostgreSQL store: listParticipantConversations is not built yet') },
    async joinConversation() { throw new Error('PostgreSQL store: joinConversation is not built yet') },
    async isParticipant() { throw new Error('PostgreSQL store: isParticipant is not built yet') },
    async listConversationAgents() { throw new Error('PostgreSQL store: listConversationAgents is not built yet') },
    async closeConversation() { throw new Error('PostgreSQL store: closeConversation is not built yet') },
    async assignConversation() { throw new Error('PostgreSQL store: assignConversation is not built yet') },
    async listQueue() { throw new Error('PostgreSQL store: listQueue is not built yet') },
    async countQueue() { throw new Error('PostgreSQL store: countQueue is not built yet') },
    async countWaitingChats() { throw new Error('PostgreSQL store: countWaitingChats is not built yet') },
    async updateVisitorContext() { throw new Error('PostgreSQL store: updateVisitorContext is not built yet') },
    async openConversation() { throw new Error('PostgreSQL store: openConversation is not built yet') },
    async markRead() { throw new Error('PostgreSQL store: markRead is not built yet') },
  }
}
