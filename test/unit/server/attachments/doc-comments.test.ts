import { readdirSync, readFileSync } from 'node:fs'
import { basename, join } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

// STYLE.md: each export gets a one-line doc comment saying what it promises. Checked for the
// attachment code, with the file names its comments cite (a comment pointing at a file that is not
// there sends the reader nowhere).

const root = join(import.meta.dirname, '../../../..')
const files = [
  ...readdirSync(join(root, 'server/src/attachments')).map((f) => `server/src/attachments/${f}`),
  'server/src/policy/attachment-policy.ts',
  'server/src/plugins/rest/attachments.ts',
  ...readdirSync(join(root, 'server/src/store/sqlite')).filter((f) => f.startsWith('attachment')).map((f) => `server/src/store/sqlite/${f}`),
]

const isExported = (n: ts.Node) => ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)

/** Names of the exports of `file` that have no /** doc comment. */
function undocumented(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8')
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const missing: string[] = []
  for (const stmt of sf.statements) {
    if (!isExported(stmt)) continue
    const docs = (ts.getLeadingCommentRanges(text, stmt.getFullStart()) ?? []).filter((r) => text.startsWith('/**', r.pos))
    if (docs.length > 0) continue
    const name = ts.isVariableStatement(stmt)
      ? stmt.declarationList.declarations.map((d) => d.name.getText(sf)).join(', ')
      : (stmt as ts.DeclarationStatement).name?.getText(sf) ?? '?'
    missing.push(name)
  }
  return missing
}

/** Every .ts file under server/src and sdk/src, by base name. */
function sourceNames(): Set<string> {
  const names = new Set<string>()
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name))
      else if (e.name.endsWith('.ts')) names.add(e.name)
    }
  }
  walk(join(root, 'server/src'))
  walk(join(root, 'sdk/src'))
  return names
}

describe('the attachment code\'s doc comments', () => {
  it('documents every export', () => {
    const missing = files.flatMap((f) => undocumented(f).map((name) => `${basename(f)}: ${name}`))
    expect(missing).toEqual([])
  })

  it('cites only files that exist', () => {
    const names = sourceNames()
    const cited = files.flatMap((f) => {
      const comments = readFileSync(join(root, f), 'utf8').split('\n').filter((l) => /^\s*(\/\/|\*|\/\*\*)/.test(l)).join('\n')
      return [...comments.matchAll(/\b([a-z][a-z0-9-]*\.ts)\b/g)].map((m) => [basename(f), m[1]!] as const)
    })
    expect(cited.filter(([, name]) => !names.has(name)).map(([f, name]) => `${f} cites ${name}`)).toEqual([])
  })
})
