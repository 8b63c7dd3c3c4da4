import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { contrastRatio } from '../../../widget/src/ui/contrast.js'

// What the console's stylesheet promises about contrast where axe-core cannot see it: the canned
// picker's highlighted option must differ from the others by 3:1 or more (WCAG 1.4.11), not by a
// background 1.15:1 from white.

const css = readFileSync(new URL('../../../widget/src/console/console.css', import.meta.url), 'utf8')

describe('console.css', () => {
  it("marks the canned picker's highlighted option with a bar of 3:1 against the list and the highlight", () => {
    const rule = /\.canned-picker li\.active\{([^}]*)\}/.exec(css)?.[1] ?? ''
    const bar = /box-shadow:inset \d+px 0 0 (#[0-9a-f]{6})/i.exec(rule)?.[1]
    const highlight = /background:(#[0-9a-f]{6})/i.exec(rule)?.[1] ?? '#ffffff'
    expect(bar).toBeDefined()
    expect(contrastRatio(bar!, '#ffffff')).toBeGreaterThanOrEqual(3)
    expect(contrastRatio(bar!, highlight)).toBeGreaterThanOrEqual(3)
  })
})
