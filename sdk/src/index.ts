// Entry point of `@parley/sdk`: the brand SDK's public API. The REST client, connection client,
// rules and masking arrive with their issues; today it re-exposes the contract a program needs.
export { PROTOCOL_VERSION, ERRORS, DEFAULT_LIMITS, formatError, isErrorCode, errorCodeForClose } from './contract/contract.js'
export type { ErrorCode, Limits, ClientFrame, ServerFrame } from './contract/contract.js'
