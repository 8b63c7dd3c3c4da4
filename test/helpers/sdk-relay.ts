import { afterAll, beforeAll, expect } from 'vitest'
import { Parley, ParleyError } from '@parley/sdk'
import { startRelay, type TestRelay } from './start-relay.js'
import { createTestBrand, type TestBrand } from './brand.js'

/** A relay for the suite, one brand on it and an SDK client with the brand's key, read after beforeAll. */
export interface SdkRelay {
  relay: TestRelay
  brand: TestBrand
  parley: Parley
}

/** Starts a relay (`opts` as startRelay's) before the suite's tests and closes it after them. */
export function sdkRelay(opts: Parameters<typeof startRelay>[0] = {}): SdkRelay {
  const s = {} as SdkRelay
  beforeAll(async () => {
    s.relay = await startRelay(opts)
    s.brand = await createTestBrand(s.relay)
    s.parley = new Parley({ relay: s.relay.url, apiKey: s.brand.apiKey })
  })
  afterAll(async () => { await s.relay.close() })
  return s
}

/** The rejection of `p`, which must reject with a ParleyError. */
export async function rejection(p: Promise<unknown>): Promise<ParleyError> {
  const err = await p.then(() => null, (e: unknown) => e)
  expect(err).toBeInstanceOf(ParleyError)
  return err as ParleyError
}
