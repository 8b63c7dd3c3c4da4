import type { ErrorCode } from '@parley/sdk/contract'

// Stands in for the connection's local-errors module in the consumer widget's build (build.mjs):
// the widget shows its own localised strings chosen by code and never a connection message, so it
// carries neither the table's ~45 code names nor the message templates (~700 B gzip).
// Differences a caller can see: a message is the code and its arguments, not the English sentence,
// and a well-formed code a newer relay sends is kept as it came instead of becoming
// PARLEY_ERR_SERVER_INTERNAL (the widget branches on the few codes it knows and treats any other
// alike). test/unit/widget/lean-errors.test.ts keeps the two modules' exports in step.

/** Whether a code that arrived over the wire looks like one of the table's. */
export function isKnownCode(code: string): code is ErrorCode {
  return /^PARLEY_ERR_[A-Z_]+$/.test(code)
}

/** The code and its arguments, in place of the table's message. */
export function localMessage(code: string, args: readonly unknown[]): string {
  return [code, ...args].join(' ')
}
