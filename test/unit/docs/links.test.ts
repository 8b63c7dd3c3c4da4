import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// A newcomer follows the links between the READMEs and docs/: every relative link must reach a file
// that exists, and every `#anchor` a heading of that page, slugged the way GitHub slugs headings.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const PAGES = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`),
  ...readdirSync(join(ROOT, 'examples'), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(ROOT, 'examples', d.name, 'README.md')))
    .map((d) => `examples/${d.name}/README.md`),
]

/** The page without its fenced code blocks, where neither headings nor links are markdown. */
function prose(text: string): string[] {
  let fenced = false
  return text.split('\n').filter((line) => {
    if (/^\s*(```|~~~)/.test(line)) { fenced = !fenced; return false }
    return !fenced
  })
}

/** GitHub's anchors for a page's headings: lowercase, punctuation dropped, spaces to hyphens, repeats numbered. */
function headingSlugs(text: string): Set<string> {
  const seen = new Map<string, number>()
  const slugs = new Set<string>()
  for (const line of prose(text)) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)
    if (!m) continue
    const plain = m[1]!.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/<[^>]+>/g, '')
    const base = plain.toLowerCase().replace(/[^\p{L}\p{N}\p{M} _-]/gu, '').replace(/ /g, '-')
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    slugs.add(n === 0 ? base : `${base}-${n}`)
  }
  return slugs
}

function links(text: string): string[] {
  const out: string[] = []
  for (const line of prose(text)) {
    for (const m of line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)) out.push(m[1]!)
  }
  return out.filter((href) => !/^[a-z][a-z0-9+.-]*:/i.test(href))
}

describe('links between the READMEs and docs/', () => {
  it('slugs headings as GitHub does', () => {
    expect([...headingSlugs('## `parley.routing`: how new chats reach agents\n## The demo\'s rule set\n## A\n## A')])
      .toEqual(['parleyrouting-how-new-chats-reach-agents', 'the-demos-rule-set', 'a', 'a-1'])
  })

  it('reach a file that exists and a heading it has', () => {
    const broken: string[] = []
    for (const page of PAGES) {
      for (const href of links(readFileSync(join(ROOT, page), 'utf8'))) {
        const [path, anchor] = href.split('#') as [string, string | undefined]
        const target = path === '' ? join(ROOT, page) : resolve(dirname(join(ROOT, page)), decodeURI(path))
        if (!existsSync(target)) { broken.push(`${page}: ${href} (no such file)`); continue }
        if (anchor === undefined || !target.endsWith('.md')) continue
        if (!headingSlugs(readFileSync(target, 'utf8')).has(anchor)) broken.push(`${page}: ${href} (no heading #${anchor} in ${relative(ROOT, target)})`)
      }
    }
    expect(broken).toEqual([])
  })
})
