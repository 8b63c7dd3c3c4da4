import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { createLazyCompilers } from '../../../../server/src/plugins/lazy-compilers.js'

// Route schemas compile on their route's first request (lazy-compilers.ts): the functions must
// behave as the eagerly compiled ones would, and a bad schema must still be found by compileAll.

const Body = { type: 'object', properties: { name: { type: 'string', maxLength: 5 } }, required: ['name'], additionalProperties: false }
const route = (schema: unknown) => ({ schema, method: 'GET', url: '/x', httpStatus: '200' })

describe('lazy route compilers', () => {
  it('compiles a validator on its first call, once, and hands Fastify its errors after each call', () => {
    const compilers = createLazyCompilers()
    const ajv = new Ajv()
    let compiled = 0
    const validate = compilers.validator(() => { compiled++; return ajv.compile(Body) })
    expect(compiled).toBe(0)
    expect(validate({ name: 'toolong' })).toBe(false)
    expect(validate.errors?.[0]).toMatchObject({ instancePath: '/name', keyword: 'maxLength' })
    expect(validate({ name: 'ok' })).toBe(true)
    expect(validate.errors).toBeNull()
    expect(compiled).toBe(1)
    expect(compilers.compileAll()).toBe(0)
  })

  it('hands Ajv the request as the parent, so a coerced root value replaces the request\'s', () => {
    const compilers = createLazyCompilers()
    const ajv = new Ajv({ coerceTypes: true })
    const validate = compilers.validator(() => ajv.compile({ type: 'integer' }))
    // Fastify passes the context only to a function with schemaEnv, which it reads before any call.
    expect(validate.schemaEnv).toBeTruthy()
    const request = { params: '42' as unknown }
    // What Fastify passes (validation.js), which is less than Ajv's own context type.
    const asFastifyCalls = validate as (data: unknown, context: { parentData: object; parentDataProperty: string }) => boolean
    expect(asFastifyCalls(request.params, { parentData: request, parentDataProperty: 'params' })).toBe(true)
    expect(request.params).toBe(42)
  })

  it('builds serialisers with the shared schemas and drops what the response schema leaves out', () => {
    const compilers = createLazyCompilers()
    const shared = { Item: { $id: 'Item', type: 'object', properties: { id: { type: 'string' } } } }
    const serialize = compilers.buildSerializer(shared, {})(route({ type: 'object', properties: { item: { $ref: 'Item#' }, n: { type: 'integer' } } }))
    expect(compilers.compileAll()).toBe(1)
    expect(JSON.parse(serialize({ item: { id: 'a', secret: 's' }, n: 2, token: 't' }))).toEqual({ item: { id: 'a' }, n: 2 })
  })

  it('leaves everything uncompiled until asked, and compileAll throws what a bad schema throws', () => {
    const compilers = createLazyCompilers()
    const ajv = new Ajv()
    let compiled = 0
    const ok = compilers.validator(() => { compiled++; return ajv.compile(Body) })
    compilers.validator(() => ajv.compile({ type: 'object', properties: { a: { type: 'nonsense' } } }))
    compilers.buildSerializer({}, {})(route({ type: 'string' }))
    expect(compiled).toBe(0)
    expect(() => compilers.compileAll()).toThrow(/type/)
    // What compiled before the failure stays compiled; the bad one is still waiting.
    expect(compiled).toBe(1)
    expect(ok({ name: 'x' })).toBe(true)
    expect(() => compilers.compileAll()).toThrow(/type/)
    expect(compiled).toBe(1)
  })
})
