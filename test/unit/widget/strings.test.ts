import { describe, expect, it } from 'vitest'
import { EN } from '../../../widget/src/i18n/strings.js'
import { LANGUAGES, regionalLocale } from '../../../widget/src/i18n/languages.js'
import { resolveStrings } from '../../../widget/src/i18n/brand-texts.js'
import { plural, type Counted } from '../../../widget/src/i18n/plural.js'

describe('string tables', () => {
  it.each(Object.keys(LANGUAGES))('%s has every key of the English table, none empty', async (lang) => {
    const table = await LANGUAGES[lang]!.load()
    expect(Object.keys(table).sort()).toEqual(Object.keys(EN).sort())
    for (const v of Object.values(table)) {
      for (const form of typeof v === 'string' ? [v] : Object.values(v)) expect(form.trim()).not.toBe('')
    }
  })

  it.each(Object.keys(LANGUAGES))('%s has a form of every counted string for each plural category it uses', async (lang) => {
    const table = await LANGUAGES[lang]!.load()
    for (const [key, v] of Object.entries(table)) {
      if (typeof v === 'string') continue
      // The place in the queue is an ordinal (1st, 2nd): its forms are the ordinal categories.
      const categories = new Intl.PluralRules(lang, { type: key === 'queuePlace' ? 'ordinal' : 'cardinal' }).resolvedOptions().pluralCategories
      for (const c of categories) expect((v as Counted)[c], `${lang}.${key}.${c}`).toBeTruthy()
    }
  })

  it('says "1 new message" and "2 new messages" in English', () => {
    expect(plural('en', EN.unread, 1)).toBe('1 new message')
    expect(plural('en', EN.unread, 2)).toBe('2 new messages')
    expect(plural('en-GB', EN.charsLeft, 1)).toBe('1 character left')
  })

  it('uses the dual and the few/many forms in Arabic', async () => {
    const ar = await LANGUAGES.ar!.load()
    expect(plural('ar', ar.unread, 1)).toBe('رسالة جديدة واحدة')
    expect(plural('ar', ar.unread, 2)).toBe('رسالتان جديدتان')
    expect(plural('ar', ar.unread, 3)).toBe('3 رسائل جديدة')
    expect(plural('ar', ar.unread, 11)).toBe('11 رسالة جديدة')
  })

  it("dates follow the visitor's region within the widget's language", async () => {
    expect(regionalLocale(['en-GB', 'en'], 'en')).toBe('en-GB')
    expect(regionalLocale(['fr-FR', 'ar-EG'], 'ar')).toBe('ar-EG')
    expect(regionalLocale(['fr-FR', 'not a tag!'], 'en')).toBe('en')
    expect((await resolveStrings(['de-DE', 'en-AU'], {})).strings.locale).toBe('en-AU')
    expect((await resolveStrings(['fr-CA'], { texts: { fr: { title: 'Parlez-nous' } } })).strings.locale).toBe('fr-CA')
  })

})
