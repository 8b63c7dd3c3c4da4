/**
 * Words after which 3–4 digits are a card security code, per language the widget ships (regular
 * expression source, matched case-insensitively on the digit view). A new language adds one line.
 */
export const SECURITY_CODE_WORDS: Readonly<Record<string, string>> = {
  en: 'cvv2?|cvc2?|cid|csc|security code|card code|verification code',
  ar: 'رمز (?:ال)?(?:أمان|امان|تحقق|بطاقة)|كود (?:ال)?(?:أمان|امان|تحقق)|(?:ال)?رمز السري',
}
