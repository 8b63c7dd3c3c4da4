import { Type, type Static } from '@sinclair/typebox'

// A brand's masking configuration: which detectors run on what visitors and agents write, and what
// replaces a match. Every field is optional; what is left out takes MASKING_DEFAULTS, so a brand that
// never saved one (every brand before masking existed) masks card numbers and security codes.
// Served to the widget in the public site config (nothing here is secret: it says what is hidden,
// never what was).

const strict = { additionalProperties: false } as const

// The detector list and defaults (MASK_DETECTORS, MASKING_DEFAULTS) live in masking-defaults.ts,
// free of TypeBox, so the widget's masking engine can import them without the schema library.

/** What stands in for a match: fixed text, so nothing of the original can be recovered from it. */
export const MaskReplacement = Type.String({ minLength: 1, maxLength: 40 })

/** A built-in detector's switch and replacement. */
export const DetectorSetting = Type.Object({
  enabled: Type.Optional(Type.Boolean()),
  replacement: Type.Optional(MaskReplacement),
}, strict)
export type DetectorSetting = Static<typeof DetectorSetting>

/** Card numbers may keep their first 6 and last 4 digits (the PCI DSS display rule); default: none. */
export const CardSetting = Type.Object({
  enabled: Type.Optional(Type.Boolean()),
  replacement: Type.Optional(MaskReplacement),
  keep: Type.Optional(Type.Union([Type.Literal('none'), Type.Literal('first6last4')])),
}, strict)
export type CardSetting = Static<typeof CardSetting>

/**
 * A brand's own pattern, in the subset a linear-time engine runs: no backreferences, no lookaround,
 * no nested or overlapping quantifiers (vetted when saved; a refused one is named in the error).
 */
export const BrandPattern = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9][A-Za-z0-9 _.-]*$' }),
  pattern: Type.String({ minLength: 1, maxLength: 500 }),
  caseInsensitive: Type.Optional(Type.Boolean()),
  replacement: Type.Optional(MaskReplacement),
}, strict)
export type BrandPattern = Static<typeof BrandPattern>

/** PUT /v1/masking, GET /v1/masking, and `masking` in the public site config. */
export const MaskingConfig = Type.Object({
  card: Type.Optional(CardSetting),
  securityCode: Type.Optional(DetectorSetting),
  ssn: Type.Optional(DetectorSetting),
  iban: Type.Optional(DetectorSetting),
  email: Type.Optional(DetectorSetting),
  phone: Type.Optional(DetectorSetting),
  patterns: Type.Optional(Type.Array(BrandPattern, { maxItems: 20 })),
}, strict)
export type MaskingConfig = Static<typeof MaskingConfig>

/** One place a detector fired: `[start, end)` in UTF-16 code units of the text it was given. */
export const MaskFinding = Type.Object({
  /** A built-in detector's name, or `pattern:` and the brand pattern's name. */
  detector: Type.String(),
  start: Type.Integer({ minimum: 0 }),
  end: Type.Integer({ minimum: 0 }),
}, strict)
export type MaskFinding = Static<typeof MaskFinding>

/** What masking made of a text: the text to keep and where each detector fired in the original. */
export const MaskResult = Type.Object({ text: Type.String(), findings: Type.Array(MaskFinding) }, strict)
export type MaskResult = Static<typeof MaskResult>
