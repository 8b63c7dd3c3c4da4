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

/**
 * Busy CPU seconds of the whole machine so far (all cores, idle and iowait excluded), or null where
 * /proc is absent. Minus the relay and the loadgen, it shows whether anything else competed.
 */
export function readMachineCpuSeconds() {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]
    // cpu user nice system idle iowait irq softirq steal guest guest_nice (guest is inside user)
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number)
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS_PER_SECOND
  } catch {
    return null
  }
}
