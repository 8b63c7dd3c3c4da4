/** The VmRSS line of a /proc/PID/status text, in bytes; null when the text has none. */
export function parseVmRssBytes(statusText: string): number | null
/** The RSS of every process in `pids`, summed, in bytes; null if any of them cannot be read. */
export function readRssBytes(pids: number[]): number | null
/** Peak and mean of `samples` (bytes, unreadable ones null); null when none could be read. */
export function summarizeRss(samples: (number | null)[]): { peak: number; mean: number; samples: number } | null
