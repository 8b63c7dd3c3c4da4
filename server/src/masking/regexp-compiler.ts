import type { PatternCompiler } from '@parley/sdk/masking'

// STAND-IN until the relay's linear-time compiler (re2-compiler.ts) lands: compiles a vetted brand
// pattern with RegExp. Only vetted patterns reach it (no backreferences or lookaround).

/** Compiles a brand pattern with RegExp; throws a SyntaxError for a pattern RegExp refuses. */
export const compileWithRegExp: PatternCompiler = (pattern) => {
  const re = new RegExp(pattern.pattern, pattern.caseInsensitive ? 'giu' : 'gu')
  return function* (text) {
    for (const m of text.matchAll(re)) if (m[0].length > 0) yield [m.index, m.index + m[0].length] as const
  }
}
