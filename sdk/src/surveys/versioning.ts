import type { Survey } from '../contract/surveys.js'

/** Whether two surveys ask the same (everything but `version` equal, key order ignored): a save keeps the version. */
export function sameSurveyContent(a: Survey, b: Survey): boolean {
  const { version: _a, ...restA } = a
  const { version: _b, ...restB } = b
  return isSame(restA, restB)
}

// JSON equality: a key whose value is undefined counts as absent, as it would after a round trip.
function isSame(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a) && a.length !== (b as unknown[]).length) return false
  const left = a as Record<string, unknown>
  const right = b as Record<string, unknown>
  const keysA = Object.keys(left).filter((key) => left[key] !== undefined)
  const keysB = Object.keys(right).filter((key) => right[key] !== undefined)
  return keysA.length === keysB.length
    && keysA.every((key) => Object.prototype.hasOwnProperty.call(right, key) && isSame(left[key], right[key]))
}
