import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

// The REST client is for brands' servers and scripts; the widget must not carry a byte of it, even
// though it imports the same package. Bundles are built from source (as widget/build.mjs builds
// them from the package), with @parley/sdk's subpaths mapped to their entry files.

const root = fileURLToPath(new URL('../../../../', import.meta.url))
interface Plugin {
  name: string
  setup(build: { onResolve(o: { filter: RegExp }, cb: (args: { path: string }) => { path: string; sideEffects: boolean } | undefined): void }): void
}
interface Metafile { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> }

/** The widget workspace's esbuild (a dependency of widget/ only), with the one call used here. */
const esbuild = createRequire(join(root, 'widget/package.json'))('esbuild') as {
  build(opts: object): Promise<{ metafile: Metafile }>
}
const ENTRIES: Record<string, string> = {
  '@parley/sdk': 'sdk/src/index.ts',
  '@parley/sdk/contract': 'sdk/src/contract/contract.ts',
  '@parley/sdk/connection': 'sdk/src/connection/connection.ts',
  '@parley/sdk/masking': 'sdk/src/masking/masking.ts',
}

const fromSource: Plugin = {
  name: 'parley-sdk-source',
  setup(build) {
    build.onResolve({ filter: /^@parley\/sdk(\/[a-z]+)?$/ }, (args) => {
      const file = ENTRIES[args.path]
      // The package says sideEffects: false; a path from a plugin has to say it again.
      return file ? { path: join(root, file), sideEffects: false } : undefined
    })
  },
}

/** The source files that put bytes into a bundle of `entry` (minified, as shipped). */
async function bundledFiles(entry: object): Promise<string[]> {
  const result = await esbuild.build({
    ...entry, bundle: true, write: false, minify: true, format: 'esm', splitting: true, outdir: join(root, '.tree-shake-out'),
    metafile: true, logLevel: 'silent', jsx: 'automatic', jsxImportSource: 'preact', target: ['es2022'],
    define: { 'process.env.NODE_ENV': '"production"', PARLEY_DEBUG: 'false' }, plugins: [fromSource],
  })
  const files = new Set<string>()
  for (const out of Object.values(result.metafile.outputs)) {
    for (const [file, input] of Object.entries(out.inputs)) if (input.bytesInOutput > 0) files.add(file)
  }
  return [...files]
}

describe('tree-shaking of the REST client', () => {
  it('leaves every sdk/src/client file out of the consumer widget', async () => {
    const files = await bundledFiles({ entryPoints: [join(root, 'widget/src/consumer/boot.ts')] })
    // The check would pass vacuously if the sdk were not bundled from source at all.
    expect(files.some((f) => f.startsWith('sdk/src/connection/'))).toBe(true)
    expect(files.filter((f) => f.startsWith('sdk/src/client/'))).toEqual([])
  })

  it('leaves it out of a bundle that imports only a contract function from the @parley/sdk entry', async () => {
    const files = await bundledFiles({
      stdin: { contents: "import { formatError } from '@parley/sdk'\nexport const m = formatError('PARLEY_ERR_AUTH_REQUIRED')\n", resolveDir: root, loader: 'ts' },
    })
    expect(files.some((f) => f.startsWith('sdk/src/contract/'))).toBe(true)
    expect(files.filter((f) => f.startsWith('sdk/src/client/') || f.startsWith('sdk/src/masking/'))).toEqual([])
  })

  it('does bundle the client for a program that uses it (the check above can fail)', async () => {
    const files = await bundledFiles({
      stdin: { contents: "import { Parley } from '@parley/sdk'\nexport const p = new Parley({ relay: 'https://x.example', apiKey: 'k' })\n", resolveDir: root, loader: 'ts' },
    })
    expect(files).toContain('sdk/src/client/request.ts')
  })
})
