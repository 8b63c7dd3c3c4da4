import { describe, expect, it } from 'vitest'
import { EN } from '../../../widget/src/i18n/strings.js'
import { LANGUAGES, pickLanguage, stringsFor } from '../../../widget/src/i18n/languages.js'

describe('string tables', () => {
  it.each(Object.keys(LANGUAGES))('%s has every key of the English table, none empty', async (lang) => {
    const table = await LANGUAGES[lang]!.load()
    expect(Object.keys(table).sort()).toEqual(Object.keys(EN).sort())
    for (const v of Object.values(table)) expect(v.trim()).not.toBe('')
  })

  it('picks the first language the visitor asks for that the widget has', () => {
    expect(pickLanguage(['fr-FR', 'ar-EG', 'en'], 'en')).toBe('ar')
    expect(pickLanguage(['fr'], 'ar')).toBe('ar')
    expect(pickLanguage([], 'xx')).toBe('en')
  })

  it("applies the brand's overrides on top of the table", async () => {
    const s = await stringsFor('en', { title: 'Talk to us', greeting: undefined })
    expect(s.title).toBe('Talk to us')
    expect(s.greeting).toBe(EN.greeting)
  })
})
