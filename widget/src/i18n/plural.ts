// Counted strings: Intl.PluralRules picks the form, so "1 new message" is never "1 new messages" and
// Arabic gets its dual and its few/many forms. Pure; shared by the widget and the console.

/** A plural category, as Intl.PluralRules names it. */
export type PluralCategory = 'zero' | 'one' | 'two' | 'few' | 'many' | 'other'
/** A counted string: a form for each category the language uses; `other` always. */
export type Counted = Partial<Record<PluralCategory, string>> & { other: string }

/** Fills the `%s` of a string. */
export function fill(s: string, arg: string | number): string {
  return s.replace('%s', String(arg))
}

/** The form of `forms` for `n` under `locale`'s plural rules (`ordinal`: 1st, 2nd…), with `%s` filled by `n`. */
export function plural(locale: string, forms: Counted, n: number, type: Intl.PluralRuleType = 'cardinal'): string {
  const cat = new Intl.PluralRules(locale, { type }).select(n) as PluralCategory
  return fill(forms[cat] ?? forms.other, n)
}
