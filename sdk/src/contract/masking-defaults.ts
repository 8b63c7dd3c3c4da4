// Kept apart from masking.ts, and free of TypeBox, so the masking engine the widget bundles can
// import the detector list and defaults without pulling in the schema library.

/** The built-in detectors, in the order they run. */
export const MASK_DETECTORS = ['card', 'securityCode', 'ssn', 'iban', 'email', 'phone'] as const
export type MaskDetector = (typeof MASK_DETECTORS)[number]

/** What each detector does when the brand's configuration leaves it out. */
export const MASKING_DEFAULTS = {
  card: { enabled: true, replacement: '[card]', keep: 'none' },
  securityCode: { enabled: true, replacement: '[security code]' },
  ssn: { enabled: false, replacement: '[ssn]' },
  iban: { enabled: false, replacement: '[iban]' },
  email: { enabled: false, replacement: '[email]' },
  phone: { enabled: false, replacement: '[phone]' },
  pattern: { replacement: '[hidden]' },
} as const satisfies Record<MaskDetector, { enabled: boolean; replacement: string; keep?: string }> & { pattern: { replacement: string } }
