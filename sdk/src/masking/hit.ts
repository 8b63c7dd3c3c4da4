/**
 * Where a detector fired: `[start, end)` is the value, `[from, to)` the part replaced. A tuple
 * rather than an object because the engine ships in the widget, where property names cost bytes.
 */
export type Hit = [detector: string, start: number, end: number, from: number, to: number]
