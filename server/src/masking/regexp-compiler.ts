import type { PatternCompiler } from '@parley/sdk/masking'

// Stand-in until the relay's linear-time compiler (re2js) lands: brand patterns are vetted when
// saved, so only patterns without backreferences or lookaround reach here.
// TODO(issue 13): replace with the engine's re2-compiler.ts when it is merged.

/** Compiles a brand pattern with the JavaScript RegExp engine. */
export const compileWithRegExp: PatternCompiler = (p) => {
  const re = new RegExp(p.pattern, p.caseInsensitive ? 'giu' : 'gu')
  return function* (text) {
    re.lastIndex = 0
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].length === 0) { re.lastIndex++; continue }
      yield [m.index, m.index + m[0].length] as const
    }
  }
}
