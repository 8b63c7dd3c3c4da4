import { describe, expect, it } from 'vitest'
import { parseVmRssBytes, readRssBytes, summarizeRss } from '../../bench/rss.mjs'

// The benchmark reports each relay's resident memory under load from /proc/PID/status, every
// node's summed; a figure it could not read is missing, never 0.

const STATUS = `Name:\tnode
Umask:\t0022
State:\tS (sleeping)
VmPeak:\t 1234560 kB
VmHWM:\t  250112 kB
VmRSS:\t  233000 kB
RssAnon:\t  180000 kB
Threads:\t11
`
// A kernel thread's status has no Vm* lines at all.
const KERNEL_THREAD = 'Name:\tkworker/0:1\nState:\tI (idle)\nThreads:\t1\n'

describe('parseVmRssBytes', () => {
  it('reads VmRSS in bytes, not VmHWM or RssAnon', () => {
    expect(parseVmRssBytes(STATUS)).toBe(233_000 * 1024)
  })

  it('has no figure for a process without VmRSS', () => {
    expect(parseVmRssBytes(KERNEL_THREAD)).toBeNull()
  })
})

describe('summarizeRss', () => {
  it('gives the peak and mean of the samples it could read', () => {
    expect(summarizeRss([100, null, 300, 200])).toEqual({ peak: 300, mean: 200, samples: 3 })
  })

  it('has no figures when no sample could be read', () => {
    expect(summarizeRss([null, null])).toBeNull()
    expect(summarizeRss([])).toBeNull()
  })
})

describe('readRssBytes', () => {
  it('sums the processes it is given', () => {
    const one = readRssBytes([process.pid])
    expect(one).toBeGreaterThan(0)
    // Two reads of the same live process, moments apart: about twice one, not exactly.
    expect(readRssBytes([process.pid, process.pid])).toBeGreaterThan(1.5 * one!)
  })

  it('has no figure when one of the processes is gone', () => {
    expect(readRssBytes([process.pid, 0])).toBeNull()
  })
})
