import { readFileSync } from 'node:fs'

const KB_FIELDS = ['VmRSS', 'RssAnon', 'RssFile', 'VmHWM']

/**
 * Resident memory of process `pid` from /proc/PID/status, in bytes: `rss` (VmRSS: every thread's
 * heap, native allocations and the mapped code), `anon` (RssAnon: what the process allocated
 * itself), `file` (RssFile: mapped files such as the node binary) and `peak` (VmHWM).
 */
export function processMemory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = Object.fromEntries(KB_FIELDS.map((field) => [field, Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN)]))
  return { rss: kb.VmRSS * 1024, anon: kb.RssAnon * 1024, file: kb.RssFile * 1024, peak: kb.VmHWM * 1024 }
}
