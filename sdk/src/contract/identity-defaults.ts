// The identity settings' defaults and bounds (security.ts IdentitySettings), kept free of TypeBox so
// the relay, the SDK and the docs read one number each.

/** The longest a brand's identity token may live (exp − iat) when the brand sets no maxAgeSeconds, seconds. */
export const IDENTITY_MAX_AGE_SECONDS = 600
/** The clock skew tolerated on iat, nbf and exp when the brand sets no clockSkewSeconds, seconds. */
export const IDENTITY_CLOCK_SKEW_SECONDS = 60
/** The largest maxAgeSeconds a brand may set, seconds. */
export const IDENTITY_MAX_AGE_LIMIT_SECONDS = 86_400
/** The largest clockSkewSeconds a brand may set, seconds. */
export const IDENTITY_CLOCK_SKEW_LIMIT_SECONDS = 600
