import { readFileSync } from 'node:fs'

// CPU time of another process, so the report can say which side of the benchmark was the
// bottleneck: on a 2-core machine a loadgen pinned at ~100% means the figure is a lower bound.

// USER_HZ is 100 on every mainstream Linux build; asking getconf would cost a child process.
const CLOCK_TICKS_PER_SECOND = 100

/** User + system CPU seconds used so far by process `pid` (all threads), or null where /proc is absent. */
export function readProcessCpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // Field 2 (comm) is parenthesised and may contain spaces, so count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const utime = Number(fields[11])
    const stime = Number(fields[12])
    return (utime + stime) / CLOCK_TICKS_PER_SECOND
  } catch {
    return null
  }
}

/** CPU seconds used so far by this process. */
export function readOwnCpuSeconds() {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1e6
}
