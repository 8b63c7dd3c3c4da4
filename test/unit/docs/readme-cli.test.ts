import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { HELP } from '../../../server/src/cli-help.js'

// The README's CLI section is where a newcomer looks for the commands: it lists each command line of
// `parley --help` as the help prints it, so a command added to the CLI cannot be missing there.

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const readme = readFileSync(`${ROOT}README.md`, 'utf8')
const section = readme.slice(readme.indexOf('## CLI'), readme.indexOf('\n## ', readme.indexOf('## CLI') + 1))

/** The command lines of a usage text: `parley <command> …`, without the description column. */
const commands = (text: string) => text.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('parley ') && !l.startsWith('parley —'))
  .map((l) => l.split(/\s{2,}/)[0]!)

describe('the README CLI section', () => {
  it('lists every command of parley --help, with its options', () => {
    const help = commands(HELP)
    expect(help.length).toBeGreaterThan(3)
    expect(commands(section)).toEqual(help)
  })
})
