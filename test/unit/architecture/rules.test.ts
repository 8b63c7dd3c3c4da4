import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { tempDir } from '../../helpers/temp-dir.js'

// The architecture rules (`npm run lint:arch`) run against small fixture trees laid out like the
// repository, each breaking one rule, so a rule that can no longer fail (a typo in a path, a
// resolver that silently stops following imports) shows up here instead of passing in CI.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const BIN = join(ROOT, 'node_modules/.bin')

/** A legal tree: the contract, a store, a relay module and a widget module importing downwards. */
const LEGAL: Record<string, string> = {
  // NodeNext reads the module format from here, as in the repository.
  'package.json': '{ "type": "module" }\n',
  'sdk/src/contract/contract.ts': 'export const LIMIT = 1\n',
  'server/src/store/store.ts': "import { LIMIT } from '../../../sdk/src/contract/contract.js'\nexport const STORE = LIMIT\n",
  'server/src/relay/fanout.ts': "import { STORE } from '../store/store.js'\nexport const FANOUT = STORE\n",
  'widget/src/boot.ts': "import { LIMIT } from '../../sdk/src/contract/contract.js'\nexport const BOOT = LIMIT\n",
}

let remove: (() => void) | null = null
afterEach(() => {
  remove?.()
  remove = null
})

function fixture(files: Record<string, string>): string {
  const tmp = tempDir('parley-arch-')
  remove = tmp.remove
  for (const [path, text] of Object.entries({ ...LEGAL, ...files })) {
    mkdirSync(dirname(join(tmp.dir, path)), { recursive: true })
    writeFileSync(join(tmp.dir, path), text)
  }
  for (const config of ['tsconfig.base.json', 'tsconfig.arch.json', 'sdk/tsconfig.pure.json']) {
    copyFileSync(join(ROOT, config), join(tmp.dir, config))
  }
  return tmp.dir
}

function depcruise(dir: string): { status: number | null; output: string } {
  const run = spawnSync(join(BIN, 'depcruise'), ['--config', join(ROOT, '.dependency-cruiser.cjs'), 'sdk/src', 'server/src', 'widget/src'], { cwd: dir, encoding: 'utf8' })
  return { status: run.status, output: `${run.stdout}${run.stderr}` }
}

function pureTypeCheck(dir: string): { status: number | null; output: string } {
  const run = spawnSync(join(BIN, 'tsc'), ['-p', 'sdk/tsconfig.pure.json'], { cwd: dir, encoding: 'utf8' })
  return { status: run.status, output: `${run.stdout}${run.stderr}` }
}

describe('dependency-cruiser rules', () => {
  it('pass a tree that follows them', () => {
    expect(depcruise(fixture({}))).toMatchObject({ status: 0 })
  })

  it('reject sdk/ importing from server/', () => {
    const run = depcruise(fixture({ 'sdk/src/connection/socket.ts': "import { FANOUT } from '../../../server/src/relay/fanout.js'\nexport const S = FANOUT\n" }))
    expect(run.status).not.toBe(0)
    expect(run.output).toContain('sdk-imports-no-server-or-widget')
  })

  it('reject sdk/ importing from widget/', () => {
    const run = depcruise(fixture({ 'sdk/src/index.ts': "import { BOOT } from '../../widget/src/boot.js'\nexport const I = BOOT\n" }))
    expect(run.status).not.toBe(0)
    expect(run.output).toContain('sdk-imports-no-server-or-widget')
  })

  it.each(['contract', 'rules', 'masking'])('reject sdk/src/%s importing a node: module', (core) => {
    const run = depcruise(fixture({ [`sdk/src/${core}/read.ts`]: "import { readFileSync } from 'node:fs'\nexport const read = readFileSync\n" }))
    expect(run.status).not.toBe(0)
    expect(run.output).toContain('pure-core-imports-no-node')
  })

  it.each(['relay/fanout.js', 'plugins/live.js'])('reject server/src/store importing %s', (target) => {
    const run = depcruise(fixture({
      'server/src/plugins/live.ts': 'export const LIVE = 1\n',
      'server/src/store/bad.ts': `import * as up from '../${target}'\nexport const BAD = up\n`,
    }))
    expect(run.status).not.toBe(0)
    expect(run.output).toContain('store-imports-no-relay-or-plugins')
  })

  it('reject an import cycle made only of type imports', () => {
    const run = depcruise(fixture({
      'widget/src/a.ts': "import type { B } from './b.js'\nexport type A = { b?: B }\n",
      'widget/src/b.ts': "import type { A } from './a.js'\nexport type B = { a?: A }\n",
    }))
    expect(run.status).not.toBe(0)
    expect(run.output).toContain('no-import-cycles')
  })

  it('reject a cycle wholly inside server/src/relay', () => {
    const run = depcruise(fixture({
      'server/src/relay/session.ts': "import type { Handler } from './dispatch.js'\nexport type Session = { h?: Handler }\n",
      'server/src/relay/dispatch.ts': "import type { Session } from './session.js'\nexport type Handler = (s: Session) => void\n",
    }))
    expect(run.status).not.toBe(0)
    expect(run.output).toContain('no-import-cycles')
  })

  it('reject a cycle between server/src/relay and another folder', () => {
    const run = depcruise(fixture({
      'server/src/relay/session.ts': "import { BUS } from '../bus/bus.js'\nexport const SESSION = BUS\n",
      'server/src/bus/bus.ts': "import type { SESSION } from '../relay/session.js'\nexport const BUS = 1\nexport type S = typeof SESSION\n",
    }))
    expect(run.status).not.toBe(0)
    expect(run.output).toContain('no-import-cycles')
  })
})

describe('the pure-core type check (sdk/tsconfig.pure.json)', () => {
  it('passes a contract that uses only the language', () => {
    expect(pureTypeCheck(fixture({}))).toMatchObject({ status: 0 })
  })

  it.each(['window.location.href', 'document.title', 'navigator.language'])('rejects the DOM global in %s', (use) => {
    const run = pureTypeCheck(fixture({ 'sdk/src/contract/page.ts': `export const here = (): string => ${use}\n` }))
    expect(run.status).not.toBe(0)
    expect(run.output).toContain(`Cannot find name '${use.split('.')[0]}'`)
  })

  it('rejects a Node global (process)', () => {
    const run = pureTypeCheck(fixture({ 'sdk/src/masking/env.ts': 'export const home = (): string | undefined => process.env.HOME\n' }))
    expect(run.status).not.toBe(0)
    expect(run.output).toContain("Cannot find name 'process'")
  })
})
