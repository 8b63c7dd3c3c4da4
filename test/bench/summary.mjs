import { STORE_VARIANTS } from './compare.mjs'
import { barLine, int, mebibytes, ms, relayed } from './format.mjs'

// The last thing `npm run bench` prints: issue 20's figures in the issue's shape, one row per
// relay target, then its aims (aims.mjs) as PASS / FAIL / NOT RUN. Formatting only; the figures
// are the ones in the tables above, repeated so the answer to the issue is in one place.

const LABEL_WIDTH = 40
const CELL_WIDTHS = [20, 32, 23, 14]

/** The summary table and the aims as printable text. */
export function formatSummary({ results, labels, config, aims }) {
  const out = ['', `Summary (issue 20, relay efficiency): ${config.conversations} conversations; RSS is the relay's peak at saturation, nodes summed`]
  out.push(row('relay', ['saturation msgs/s', 'messages per relay CPU-second', `p99 at ${int(config.rate)} msgs/s`, 'RSS']))
  for (const [name, byMode] of Object.entries(results)) {
    const saturation = byMode.saturation
    const fixed = byMode.fixed
    if (byMode.error || saturation?.error) {
      out.push(row(labels[name] ?? name, [byMode.error ? 'could not start' : 'failed', '', '', '']))
      continue
    }
    out.push(row(labels[name] ?? name, [
      saturation ? relayed(saturation) : 'not run',
      int(saturation?.perRelayCpuSecond),
      fixed ? (fixed.error ? 'failed' : ms(fixed.ackMs?.p99)) : 'not run',
      mebibytes(saturation?.relayRssBytes?.peak),
    ]))
  }
  if (STORE_VARIANTS.some((name) => results[name]?.sustained)) {
    out.push(`  (the PostgreSQL targets are offered half their own saturation rate instead of ${int(config.rate)} msgs/s: see the sustained table)`)
  }
  out.push('', 'Aims (issue 20; reported, not enforced)')
  out.push(...aims.map(barLine))
  out.push('')
  return out.join('\n')
}

function row(label, cells) {
  return `  ${label.padEnd(LABEL_WIDTH)}${cells.map((c, i) => String(c).padStart(CELL_WIDTHS[i])).join('')}`
}
