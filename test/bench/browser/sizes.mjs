import { existsSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

// Gzipped bundle sizes (what the budgets count; brotli, which the relay serves to browsers that take
// it, beside them) from widget/dist/sizes.json (written by widget/build.mjs from esbuild's
// metafile), against widget/size-budget.json.

const SIZES = fileURLToPath(new URL('../../../widget/dist/sizes.json', import.meta.url))

const LABELS = { loader: 'loader (parley.js)', widget: 'consumer widget, all chunks', console: 'agent console' }

/** The size report as lines, and whether every bundle is within its budget (null: not built). */
export function bundleSizeReport() {
  if (!existsSync(SIZES)) return { lines: ['Bundle sizes: widget/dist/sizes.json is missing (node widget/build.mjs)'], ok: null, sizes: null }
  const sizes = JSON.parse(readFileSync(SIZES, 'utf8'))
  const lines = ['Browser bundles (gzip -9 against the budget; brotli 11 as served)', `  ${'bundle'.padEnd(32)}${'gzip'.padStart(10)}${'budget'.padStart(10)}${'used'.padStart(8)}${'brotli'.padStart(10)}`]
  let ok = true
  for (const [name, s] of Object.entries(sizes)) {
    const over = s.gzip > s.budget
    if (over) ok = false
    lines.push(`  ${(LABELS[name] ?? name).padEnd(32)}${kb(s.gzip).padStart(10)}${kb(s.budget).padStart(10)}${`${Math.round((100 * s.gzip) / s.budget)}%`.padStart(8)}${kb(s.br ?? 0).padStart(10)}${over ? '  OVER BUDGET' : ''}`)
    if (s.files.length > 1) {
      for (const f of [...s.files].sort((a, b) => b.gzip - a.gzip)) lines.push(`    ${f.file.padEnd(30)}${kb(f.gzip).padStart(10)}${''.padStart(18)}${kb(f.br ?? 0).padStart(10)}`)
    }
  }
  return { lines, ok, sizes }
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(2)} KB`
}
