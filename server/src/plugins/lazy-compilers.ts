import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import type { FastifySchemaValidationError } from 'fastify'

// Each REST route's body and query validators (Ajv) and response serialisers (fast-json-stringify)
// are generated JavaScript: source text, compiled code and closures, compiled by default when the
// route is added. The relay has about 120 routes, and most of them (brand settings, reports,
// exports, data rights) are called rarely or never by a given relay; compiled up front they took
// 6.7 MB of an idle relay's 28 MB heap, and V8 keeps them for good. So each is compiled on its
// route's first request (a few milliseconds, once), and a route nobody calls costs only its schema.
// The compiled functions are the ones Fastify would have made: same Ajv instances, same
// fast-json-stringify options and shared schemas, so what is refused and what is sent is unchanged.

/** A validator as Fastify calls it: `false` with the reasons in `errors`. */
export interface Validate {
  (data: unknown): boolean
  errors?: FastifySchemaValidationError[] | null
}

type SerializerFactory = ReturnType<typeof SerializerSelector>
type Serializer = (doc: unknown) => string

/** Validators and serialisers that compile on first use, and the way to compile the rest at once. */
export interface LazyCompilers {
  /** Wraps `compile` (Ajv's compile of one route part's schema); nothing is compiled yet. */
  validator(compile: () => Validate): Validate
  /** For Fastify's `schemaController.compilersFactory.buildSerializer`. */
  buildSerializer: SerializerFactory
  /** Compiles everything not compiled yet, throwing what a bad schema throws; returns how many. */
  compileAll(): number
}

export function createLazyCompilers(): LazyCompilers {
  const waiting = new Set<() => unknown>()
  function once<T>(compile: () => T): () => T {
    let compiled: { fn: T } | null = null
    const get = (): T => {
      if (!compiled) {
        compiled = { fn: compile() }
        waiting.delete(get)
      }
      return compiled.fn
    }
    waiting.add(get)
    return get
  }
  const eager = SerializerSelector()
  return {
    validator(compile) {
      const get = once(compile)
      const validate: Validate = (data) => {
        const fn = get()
        const ok = fn(data)
        validate.errors = fn.errors
        return ok
      }
      validate.errors = null
      return validate
    },
    buildSerializer(externalSchemas, options) {
      const build = eager(externalSchemas, options)
      return (route) => {
        const get = once((): Serializer => build(route))
        return (doc) => get()(doc)
      }
    },
    compileAll() {
      const all = [...waiting]
      for (const get of all) get()
      return all.length
    },
  }
}
