/** Absolute path of docs/operations.md. */
export const OPERATIONS_DOC: string
/** Absolute path of sdk/src/contract/limits.ts. */
export const LIMITS_SOURCE: string
export const BEGIN: string
export const END: string
/** Each limit's doc comment in the `Limits` interface of limits.ts, by name. */
export function parseLimitDocs(source: string): Record<string, string>
/** The table (with its markers) for `defaults`, `docs` and the relay's naming functions. */
export function renderLimitsTable<K extends string>(
  defaults: Readonly<Record<K, number>>,
  docs: Readonly<Record<string, string>>,
  flagOf: (name: K) => string,
  envOf: (name: K) => string,
): string
/** `page` with the text between the markers replaced by `table`. */
export function replaceLimitsTable(page: string, table: string): string
