import { Type } from '@sinclair/typebox'

/**
 * A BCP 47 language tag (`fr`, `fr-CA`, `zh-Hant-TW`): language, then subtags of 2 to 8 letters or
 * digits. The relay also checks it with `Intl.getCanonicalLocales` and stores the canonical form.
 */
export const LanguageTag = Type.String({ maxLength: 35, pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$' })
