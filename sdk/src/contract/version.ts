/** The wire protocol version this build speaks. v1 grows only by addition. */
export const PROTOCOL_VERSION = 1

/** Versions a relay built from this contract accepts in `hello`. */
export const SUPPORTED_PROTOCOL_VERSIONS: readonly number[] = [1]
