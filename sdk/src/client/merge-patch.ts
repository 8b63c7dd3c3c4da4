// JSON Merge Patch (RFC 7396) as the relay's PATCH routes take it: name only what changes; null
// removes a field (it goes back to its default); an array is replaced whole.

/** The media type of a merge patch. */
export const MERGE_PATCH = 'application/merge-patch+json'

/** A merge patch of a document of type T. */
export type MergePatch<T> = {
  [K in keyof T]?: NonNullable<T[K]> extends readonly unknown[] ? T[K] | null
    : NonNullable<T[K]> extends object ? MergePatch<NonNullable<T[K]>> | null
    : T[K] | null
}
