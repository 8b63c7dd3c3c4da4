import { describe, expect, it } from 'vitest'
import { EN } from '../../../widget/src/i18n/strings.js'
import { LANGUAGES } from '../../../widget/src/i18n/languages.js'

describe('string tables', () => {
  it.each(Object.keys(LANGUAGES))('%s has every key of the English table, none empty', async (lang) => {
    const table = await LANGUAGES[lang]!.load()
    expect(Object.keys(table).sort()).toEqual(Object.keys(EN).sort())
    for (const v of Object.values(table)) expect(v.trim()).not.toBe('')
  })

})
