import type { AppendRequest } from '../../server/src/store/store.js'
import type { TestRelay } from './start-relay.js'

/**
 * Opens `count` conversations of one brand straight through the store (each by its own visitor,
 * one message each, `createdAt` one ms apart from `at`), as a flood would leave them; returns their
 * ids, oldest first. Going through the store skips the relay's opening limits, which these seeds
 * would otherwise trip.
 */
export async function seedConversations(relay: TestRelay, brandId: string, count: number, prefix: string, at = 1_000_000): Promise<string[]> {
  const ids: string[] = []
  const batch: AppendRequest[] = []
  for (let i = 0; i < count; i++) {
    const convId = `${prefix}-${String(i).padStart(5, '0')}`
    ids.push(convId)
    batch.push({ brandId, convId, clientMsgId: `${convId}-m1`, from: { kind: 'visitor', id: `v-${convId}` }, text: `hello from ${convId}`, at: at + i, context: null })
  }
  for (let i = 0; i < batch.length; i += 500) {
    const results = await relay.deps.store.appendMessages(batch.slice(i, i + 500))
    if (results.some((r) => !r.ok)) throw new Error('seeding a conversation failed')
  }
  return ids
}
