#!/usr/bin/env node
// The `parley` command. npm links a package's bin at install time only if the file exists, and the
// relay's bundle (dist/parley.mjs) exists only once `npm run build` has run, so the bin is this
// committed file, which runs the bundle.
import { existsSync } from 'node:fs'

const bundle = new URL('../dist/parley.mjs', import.meta.url)
if (!existsSync(bundle)) {
  process.stderr.write('parley: server/dist/parley.mjs is missing; build it first (npm run build)\n')
  process.exit(2)
}
await import(bundle.href)
