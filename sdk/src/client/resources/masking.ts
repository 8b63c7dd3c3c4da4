import type { MaskingConfig, MaskResult } from '../../contract/masking.js'
import type { MaskingRun } from '../../contract/rest.js'
import { createMasker, regExpCompiler, vetPattern } from '../../masking/masking.js'
import { MERGE_PATCH, type MergePatch } from '../merge-patch.js'
import { refusedHere } from '../refused-here.js'
import type { RequestOptions, Transport } from '../request.js'
import { MaskingRunsResource } from './masking-runs.js'
import { sleep } from '../sleep.js'

/** How waitForRun polls. */
export interface WaitOptions extends RequestOptions {
  /** Between two reads of the run, in ms (default 1000). */
  intervalMs?: number
  /** Sees each reading of the run, the last included. */
  onProgress?: (run: MaskingRun) => void
}

/** `parley.masking`: what is masked out of the brand's transcripts, and masking what is already stored. */
export class MaskingResource {
  readonly #t: Transport
  /** Runs of mask-existing: retrieve one, or wait for one to finish. */
  readonly runs: MaskingRunsResource

  constructor(transport: Transport) {
    this.#t = transport
    this.runs = new MaskingRunsResource(transport)
  }

  /** The saved configuration (`{}` when none: card numbers and security codes masked, the rest off). */
  get(opts?: RequestOptions): Promise<MaskingConfig> {
    return this.#t.request({ method: 'GET', path: '/v1/masking' }, opts)
  }

  /**
   * Replaces the whole configuration. A brand pattern the relay refuses (backreferences, lookaround,
   * nested quantifiers) fails with InvalidRequestError PARLEY_ERR_MASKING_PATTERN naming it; nothing is saved.
   */
  set(config: MaskingConfig, opts?: RequestOptions): Promise<MaskingConfig> {
    return this.#t.request({ method: 'PUT', path: '/v1/masking', body: config }, opts)
  }

  /** Changes only what the patch names (null: back to the default); `patterns` is replaced whole. */
  update(patch: MergePatch<MaskingConfig>, opts?: RequestOptions): Promise<MaskingConfig> {
    return this.#t.request({ method: 'PATCH', path: '/v1/masking', body: patch, contentType: MERGE_PATCH }, opts)
  }

  /**
   * Masks `text` here, with the same engine the widget and the relay run, under `config` (default:
   * the brand's saved configuration, fetched with get()). Nothing is sent but that fetch. A brand
   * pattern the relay would refuse is refused here too, before it runs, as InvalidRequestError
   * PARLEY_ERR_MASKING_PATTERN naming it.
   */
  async test(text: string, config?: MaskingConfig, opts?: RequestOptions): Promise<MaskResult> {
    const cfg = config ?? (await this.get(opts))
    // A configuration passed in has not been vetted by the relay, and an unvetted pattern such as
    // (a+)+$ could hang this process in RegExp.
    for (const pattern of cfg.patterns ?? []) {
      const problem = vetPattern(pattern)
      if (problem === null) continue
      throw refusedHere('PARLEY_ERR_MASKING_PATTERN', [pattern.name, problem])
    }
    // Brand patterns run with the browser's RegExp on capped input, as in the widget; the relay runs
    // the same vetted patterns with a linear-time engine, which finds the same matches.
    return createMasker(cfg, regExpCompiler).mask(text)
  }

  /**
   * Starts masking the brand's stored transcripts (search index and visitor contexts included) under
   * its current configuration, or resumes the run that stopped; returns the run. Pair with
   * `waitForRun()`.
   */
  maskExisting(opts?: RequestOptions): Promise<MaskingRun> {
    return this.#t.request({ method: 'POST', path: '/v1/masking/runs', body: {} }, opts)
  }

  /**
   * Polls a run until it is no longer `running` and returns it (`done` or `failed`: check `status`).
   * `signal` stops the waiting, not the run, which goes on at the relay.
   */
  async waitForRun(run: MaskingRun | string, opts: WaitOptions = {}): Promise<MaskingRun> {
    const { intervalMs = 1000, onProgress, ...request } = opts
    let current = typeof run === 'string' ? await this.runs.retrieve(run, request) : run
    for (;;) {
      onProgress?.(current)
      if (current.status !== 'running') return current
      await sleep(intervalMs, request.signal ? [request.signal] : [])
      current = await this.runs.retrieve(current.runId, request)
    }
  }
}
