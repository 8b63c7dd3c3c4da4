import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chooseLanguage, isRightToLeft, resolveStrings, truncations } from '../../../widget/src/i18n/brand-texts.js'
import { EN } from '../../../widget/src/i18n/strings.js'
import { AR } from '../../../widget/src/i18n/ar.js'

describe('truncations', () => {
  it.each([
    ['fr', ['fr']],
    ['fr-CA', ['fr-CA', 'fr']],
    ['zh-Hant-TW', ['zh-Hant-TW', 'zh-Hant', 'zh']],
    ['de-DE-u-co-phonebk', ['de-DE-u-co-phonebk', 'de-DE-u-co', 'de-DE', 'de']],
  ])('shortens %s to %j', (tag, want) => {
    expect(truncations(tag)).toEqual(want)
  })
})

describe('chooseLanguage', () => {
  it.each([
    ['an exact tag', ['fr-CA'], ['en', 'ar', 'fr', 'fr-CA'], 'en', 'fr-CA'],
    ['the base language of a regional tag', ['fr-CA'], ['en', 'ar', 'fr'], 'en', 'fr'],
    ['a tag in another case, spelled as available', ['FR-ca'], ['en', 'fr-CA'], 'en', 'fr-CA'],
    ['the first wanted language that matches', ['de-AT', 'ar-EG', 'fr'], ['en', 'ar', 'fr'], 'en', 'ar'],
    ["the brand's default when nothing wanted matches", ['ja'], ['en', 'ar', 'fr'], 'fr', 'fr'],
    ['English when the default matches nothing either', [], ['en', 'ar'], 'xx', 'en'],
  ])('picks %s', (_what, wanted, available, fallback, want) => {
    expect(chooseLanguage(wanted, available, fallback)).toBe(want)
  })
})

describe('resolveStrings', () => {
  it('shows a language the widget does not ship when the brand supplies texts for it', async () => {
    const r = await resolveStrings(['fr-FR', 'en'], { texts: { fr: { launcher: 'Ouvrir le chat', greeting: 'Bonjour !' } } })
    expect(r.lang).toBe('fr')
    expect([r.strings.launcher, r.strings.greeting]).toEqual(['Ouvrir le chat', 'Bonjour !'])
  })

  it('falls back string by string to English', async () => {
    const r = await resolveStrings(['fr'], { texts: { fr: { greeting: 'Bonjour !' } } })
    expect(r.strings.placeholder).toBe(EN.placeholder)
    expect(r.strings.send).toBe(EN.send)
  })

  it("falls back to the brand's default language before English", async () => {
    const r = await resolveStrings(['fr-CA'], { locale: 'de', texts: { 'fr-CA': { greeting: 'Allô !' }, fr: { title: 'Parlez-nous' }, de: { placeholder: 'Nachricht schreiben…', title: 'Fragen' } } })
    expect(r.lang).toBe('fr-CA')
    expect([r.strings.greeting, r.strings.title, r.strings.placeholder, r.strings.send]).toEqual(['Allô !', 'Parlez-nous', 'Nachricht schreiben…', EN.send])
  })

  it("uses the widget's own table for a shipped language under the brand's texts", async () => {
    const r = await resolveStrings(['ar-EG'], { texts: { ar: { greeting: 'أهلاً' } } })
    expect(r.lang).toBe('ar')
    expect([r.strings.greeting, r.strings.send]).toEqual(['أهلاً', AR.send])
    expect(r.rtl).toBe(true)
  })

  it('says whether the brand set a title in the chosen language', async () => {
    expect((await resolveStrings(['fr'], { texts: { fr: { title: 'Parlez-nous' } } })).brandTitle).toBe(true)
    expect((await resolveStrings(['fr'], { texts: { fr: { greeting: 'Bonjour' } } })).brandTitle).toBe(false)
  })

  it("falls back to the brand's English title, or its locale's, before the brand name, for a French visitor", async () => {
    const en = await resolveStrings(['fr'], { texts: { fr: { greeting: 'Bonjour' }, en: { title: 'Ask us' } } })
    expect([en.brandTitle, en.strings.title]).toEqual([true, 'Ask us'])
    const de = await resolveStrings(['fr'], { locale: 'de', texts: { fr: { greeting: 'Bonjour' }, de: { title: 'Fragen' }, en: { title: 'Ask us' } } })
    expect([de.brandTitle, de.strings.title]).toEqual([true, 'Fragen'])
  })

  it("prefers the brand's English title to the shipped Arabic table's generic one", async () => {
    const r = await resolveStrings(['ar'], { texts: { en: { title: 'Example Shop' } } })
    expect([r.brandTitle, r.strings.title]).toEqual([true, 'Example Shop'])
  })
})

describe('isRightToLeft', () => {
  it.each([['ar', true], ['he', true], ['fa-IR', true], ['fr', false], ['en-GB', false]] as const)('%s: %s', (lang, rtl) => {
    expect(isRightToLeft(lang)).toBe(rtl)
  })

  describe('where Intl.Locale has no text info (Firefox)', () => {
    const RealLocale = Intl.Locale
    beforeAll(() => {
      // Firefox's Intl.Locale has neither getTextInfo() nor textInfo.
      class FirefoxLocale extends RealLocale {
        get textInfo(): undefined { return undefined }
        get getTextInfo(): undefined { return undefined }
      }
      Object.defineProperty(Intl, 'Locale', { value: FirefoxLocale, configurable: true, writable: true })
    })
    afterAll(() => { Object.defineProperty(Intl, 'Locale', { value: RealLocale, configurable: true, writable: true }) })

    it.each([['he', true], ['fa-IR', true], ['ur-PK', true], ['ckb', true], ['yi', true], ['pa-Arab', true], ['az-Latn', false], ['uz-Arab-AF', true], ['fr-CA', false]] as const)('%s: %s', (lang, rtl) => {
      expect(isRightToLeft(lang)).toBe(rtl)
    })
  })
})
