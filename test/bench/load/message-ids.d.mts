/** The id of conversation `index` in a run tagged `runTag` (no run of digits long enough to look like a card with a message number after it). */
export function conversationId(runTag: string, index: number): string
/** How many digits a message number takes in a clientMsgId. */
export const ID_DIGITS: number
/** The clientMsgId of message `n` of conversation `convId`. */
export function messageId(convId: string, n: number): string
/** Writes `n` as ID_DIGITS ASCII digits into `buffer` at `offset` (no allocation). */
export function writeMessageNumber(buffer: Uint8Array, offset: number, n: number): void
/** The message number at the end of a clientMsgId, or -1 if it does not end in ID_DIGITS digits. */
export function messageNumber(clientMsgId: string): number
