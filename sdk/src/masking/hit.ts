/** Where a detector fired: `[start, end)` is the value, `[from, to)` the part replaced (in view positions). */
export interface Hit {
  readonly detector: string
  readonly start: number
  readonly end: number
  readonly from: number
  readonly to: number
}

/** Collects one text's hits; a detector calls it for every value it finds. */
export type AddHit = (detector: string, start: number, end: number, from?: number, to?: number) => void
