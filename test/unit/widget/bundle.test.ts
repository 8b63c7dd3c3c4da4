import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'

// The browser bundles as shipped (npm test builds them): within their gzip budgets, and free of
// eval and new Function, so a brand's Content-Security-Policy never needs 'unsafe-eval'.

const root = fileURLToPath(new URL('../../../widget/', import.meta.url))
type Sizes = Record<string, { gzip: number; budget: number; files: { file: string }[] }>
let sizes: Sizes

beforeAll(() => {
  execFileSync(process.execPath, ['build.mjs'], { cwd: root, stdio: 'ignore' })
  sizes = JSON.parse(readFileSync(`${root}dist/sizes.json`, 'utf8')) as Sizes
}, 60_000)

describe('browser bundles', () => {
  it.each(['loader', 'widget', 'console'])('%s is within its gzip budget', (name) => {
    expect(sizes[name]!.gzip).toBeGreaterThan(0)
    expect(sizes[name]!.gzip).toBeLessThanOrEqual(sizes[name]!.budget)
  })

  it('the loader (at most 2 KB) and the widget (at most 25 KB) keep the budgets the issue set', () => {
    expect(sizes.loader!.budget).toBeLessThanOrEqual(2048)
    expect(sizes.widget!.budget).toBeLessThanOrEqual(25 * 1024)
  })

  it('contains no eval and no new Function in any browser file', () => {
    for (const s of Object.values(sizes)) {
      for (const f of s.files) {
        const code = readFileSync(`${root}dist/${f.file}`, 'utf8')
        expect(code, f.file).not.toMatch(/\beval\s*\(|new\s+Function\s*\(|\bFunction\s*\(\s*["'`]/)
      }
    }
  })
})
