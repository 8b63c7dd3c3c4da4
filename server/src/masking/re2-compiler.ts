import type { PatternCompiler } from '@parley/sdk/masking'
import { RE2JS } from 're2js'

/**
 * Brand patterns on RE2 (re2js): linear time in the text's length whatever the pattern, so the relay
 * scans whole texts without a cap. Same matches as the widget's RegExp for the vetted subset (RE2's
 * `.` also matches \r and \u2028/\u2029, which RegExp's does not). Empty matches are skipped.
 */
export const re2Compiler: PatternCompiler = ({ pattern, caseInsensitive }) => {
  const re = RE2JS.compile(pattern, caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0)
  return (text) => {
    const found: [number, number][] = []
    const m = re.matcher(text)
    for (let from = 0; from <= text.length && m.find(from);) {
      const start = m.start()
      const end = m.end()
      if (end > start) found.push([start, end])
      from = end > start ? end : end + 1
    }
    return found
  }
}
