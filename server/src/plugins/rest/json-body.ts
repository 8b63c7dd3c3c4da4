import fp from 'fastify-plugin'
import { httpError } from '../../errors.js'

// Every JSON request body is parsed here: `application/json` and, for PATCH, JSON Merge Patch
// (`application/merge-patch+json`, RFC 7396). Before parsing, the nesting depth is checked: a body
// of a few thousand nested arrays parses, but later recursion over it (validation, serialisation,
// the store) would overflow the stack and fail with a bare 500 instead of a coded 400. No Parley
// body nests more than a few levels.

/** Deepest nesting of objects and arrays a request body may have. */
export const MAX_JSON_DEPTH = 32

/** How deeply objects and arrays nest in JSON text `text` (brackets inside strings don't count). */
export function jsonDepth(text: string): number {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === 0x5c) i++ // backslash: skip the escaped character
      else if (c === 0x22) inString = false
    } else if (c === 0x22) inString = true
    else if (c === 0x7b || c === 0x5b) deepest = Math.max(deepest, ++depth)
    else if (c === 0x7d || c === 0x5d) depth--
  }
  return deepest
}

/** Content types parsed as JSON. */
export const JSON_TYPES = ['application/json', 'application/merge-patch+json'] as const

/** Replaces Fastify's JSON parser with one that refuses bodies nested deeper than MAX_JSON_DEPTH. */
export const jsonBody = fp(async (app) => {
  // Fastify's own parser, with its defences against prototype poisoning kept.
  const parse = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  // Fastify also parses text/plain, as a string, which then failed validation as "body must be
  // object"; with no parser it is refused as an unsupported media type (415), naming these.
  app.removeContentTypeParser('text/plain')
  app.addContentTypeParser([...JSON_TYPES], { parseAs: 'string' }, (req, body, done) => {
    const text = body as string
    if (jsonDepth(text) > MAX_JSON_DEPTH) {
      done(httpError('PARLEY_ERR_REQUEST_INVALID', `body nests objects or arrays deeper than ${MAX_JSON_DEPTH} levels`), undefined)
      return
    }
    parse(req, text, done)
  })
}, { name: 'parley-json-body', fastify: '5.x' })
