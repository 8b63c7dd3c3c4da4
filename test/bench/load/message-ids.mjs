// The loadgen's clientMsgIds: `<convId>-<8 digits>`, the digits being the message's number in its
// conversation. Fixed width lets a sender rewrite the digits of one frame buffer in place instead
// of building a string per message, and lets an ack be matched by number without a string map.

/**
 * The id of conversation `index` in a run tagged `runTag`. Letters around the index keep its digits
 * apart from the tag's and the message number's: masking refuses an id with 13 or more digits in
 * a row (dashes between them allowed) that pass Luhn, as a card number, and `<tag digits>-<index>-
 * <8 digits>` reached 13 whenever the tag's base-36 time ended in digits.
 */
export function conversationId(runTag, index) {
  return `${runTag}-c${index}x`
}

/** How many digits a message number takes in a clientMsgId. */
export const ID_DIGITS = 8

/** The clientMsgId of message `n` of conversation `convId`. */
export function messageId(convId, n) {
  return `${convId}-${String(n).padStart(ID_DIGITS, '0')}`
}

/** Writes `n` as ID_DIGITS ASCII digits into `buffer` at `offset` (no allocation). */
export function writeMessageNumber(buffer, offset, n) {
  for (let k = offset + ID_DIGITS - 1; k >= offset; k--) {
    buffer[k] = 0x30 + (n % 10)
    n = Math.floor(n / 10)
  }
}

/** The message number at the end of a clientMsgId, or -1 if it does not end in ID_DIGITS digits. */
export function messageNumber(clientMsgId) {
  const end = clientMsgId.length
  if (end <= ID_DIGITS || clientMsgId.charCodeAt(end - ID_DIGITS - 1) !== 0x2d) return -1
  let n = 0
  for (let k = end - ID_DIGITS; k < end; k++) {
    const digit = clientMsgId.charCodeAt(k) - 0x30
    if (digit < 0 || digit > 9) return -1
    n = n * 10 + digit
  }
  return n
}
