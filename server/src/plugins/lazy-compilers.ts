import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import type { ValidateFunction } from 'ajv'
import type { FastifySchemaValidationError } from 'fastify'

// Each REST route's body and query validators (Ajv) and response serialisers (fast-json-stringify)
// are generated JavaScript: source text, compiled code and closures, compiled by default when the
// route is added and kept by V8 for good. The relay has about 120 routes, and most of them (brand
// settings, reports, exports, data rights) are called rarely or never by a given relay. So each is
// compiled on its route's first request (a few milliseconds, once), and a route nobody calls costs
// only its schema (test/bench/README.md, "The checkpointer thread, the page cache and the route
// compilers"). The compiled functions are the ones Fastify would have made, called the way Fastify
// calls them: same Ajv instances, same fast-json-stringify options and shared schemas, so what is
// refused and what is sent is unchanged.

/**
 * A validator as Fastify calls it: `false` with the reasons in `errors`. An Ajv function carries
 * `schemaEnv`; Fastify then passes the request as the parent of the value, so Ajv can replace a
 * coerced root value in place.
 */
export interface Validate {
  (data: unknown, context?: Parameters<ValidateFunction>[1]): boolean
  errors?: FastifySchemaValidationError[] | null
  schemaEnv?: unknown
}

type SerializerFactory = ReturnType<typeof SerializerSelector>
type Serializer = (doc: unknown) => string

/** Validators and serialisers that compile on first use, and the way to compile the rest at once. */
export interface LazyCompilers {
  /** Wraps `compile` (Ajv's compile of one route part's schema); nothing is compiled yet. */
  validator(compile: () => ValidateFunction): Validate
  /** For Fastify's `schemaController.compilersFactory.buildSerializer`. */
  buildSerializer: SerializerFactory
  /** Compiles everything not compiled yet, throwing what a bad schema throws; returns how many. */
  compileAll(): number
}

/** Compilers whose every function compiles on its first call; `compileAll` finishes the rest. */
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
      const validate: Validate = (data, context) => {
        const fn = get()
        const ok = context && fn.schemaEnv ? fn(data, context) : fn(data)
        validate.errors = fn.errors
        return ok
      }
      validate.errors = null
      // Fastify reads this before the first call: say yes, and pass the context on only to a
      // function that takes it.
      validate.schemaEnv = true
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
