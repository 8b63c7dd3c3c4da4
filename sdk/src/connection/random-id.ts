// Client-made ids (messages, new conversations, tabs): 21 characters of [A-Za-z0-9_-], about 126
// bits, from the platform's CSPRNG (browsers and Node 20 both have globalThis.crypto).

import { platform } from './platform.js'

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-'

/** A fresh random id that matches the contract's `Id` pattern. */
export function randomId(size = 21): string {
  const bytes = platform.crypto.getRandomValues(new Uint8Array(size))
  let id = ''
  for (let i = 0; i < size; i++) id += ALPHABET[bytes[i]! & 63]
  return id
}
