import type { ErrorSpec } from '../sdk/src/contract/errors.js'

/** The markdown of docs/errors.md for an error table shaped like the contract's `ERRORS`. */
export function renderErrorDocs(errors: Readonly<Record<string, ErrorSpec>>): string
/** Absolute path of docs/errors.md. */
export const ERRORS_DOC: string
