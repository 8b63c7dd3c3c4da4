// JSON Merge Patch (RFC 7396): a patch object sets the members it names, removes those it sets to
// null and leaves the rest alone, recursively; any other patch value replaces the target whole.

type Json = null | boolean | number | string | Json[] | { [k: string]: Json }

function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** `target` with `patch` applied; neither argument is modified. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return patch
  const out: Record<string, unknown> = isObject(target) ? { ...target } : {}
  for (const [key, value] of Object.entries(patch)) {
    // The body parser refuses __proto__ already; a merge must never be the way to set a prototype.
    if (key === '__proto__') continue
    if (value === null) delete out[key]
    else out[key] = mergePatch(out[key], value)
  }
  return out
}
