import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { randomBytes } from 'node:crypto'
import { promisify } from 'node:util'
import { startRelay, type TestRelay } from './start-relay.js'
import { createTestAgent, createTestBrand, type TestBrand } from './brand.js'

// The runnable examples of a docs page: its complete modules (```js blocks that import @parley/sdk),
// each run with node against a real relay, as a reader would run it.

const run = promisify(execFile)
const root = fileURLToPath(new URL('../../', import.meta.url))

/** The text of a docs page, by its path from the repository root (`docs/sdk.md`). */
export function readDocPage(path: string): string {
  return readFileSync(join(root, path), 'utf8')
}

/** The page's ```<lang> blocks, in page order. */
export function codeBlocks(page: string, lang: string): string[] {
  return [...page.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1]!)
}

/** The page's complete modules: the ```js blocks that start with an import. */
export function docModules(page: string): string[] {
  return codeBlocks(page, 'js').filter((code) => code.startsWith('import '))
}

/** The `// ` lines that close a module after its last console.log: what it prints. */
export function expectedOutput(code: string): string[] | null {
  const lines = code.trimEnd().split('\n')
  const tail: string[] = []
  while (lines.length && lines.at(-1)!.startsWith('// ')) tail.unshift(lines.pop()!.slice(3))
  return tail.length && lines.at(-1)!.includes('console.log') ? tail : null
}

export interface DocExampleRunner {
  /** The relay the modules run against, and the brand whose key they get. */
  relay: TestRelay
  brand: TestBrand
  /** Writes module `i` to a file and runs it with node, PARLEY_RELAY and PARLEY_API_KEY set. */
  run(i: number, code: string): Promise<{ stdout: string; stderr: string }>
  close(): Promise<void>
}

/** A real relay, a brand on it, and a scratch dir named after `name` for the module files. */
export async function openDocExampleRunner(name: string): Promise<DocExampleRunner> {
  const relay = await startRelay()
  const brand = await createTestBrand(relay)
  // Like the demo brand the docs speak of, whose demo agent is an admin.
  await createTestAgent(relay, brand.brandId, 'Demo admin', 'admin')
  // Inside the repository, so that `@parley/sdk` resolves to the workspace.
  const dir = join(root, '.scratch', `${name}-${randomBytes(4).toString('hex')}`)
  mkdirSync(dir, { recursive: true })
  return {
    relay, brand,
    async run(i, code) {
      const file = join(dir, `example-${i}.mjs`)
      writeFileSync(file, code)
      const env = { ...process.env, PARLEY_RELAY: relay.url, PARLEY_API_KEY: brand.apiKey }
      return run(process.execPath, [file], { env, timeout: 20_000 })
    },
    async close() {
      rmSync(dir, { recursive: true, force: true })
      await relay.close()
    },
  }
}
