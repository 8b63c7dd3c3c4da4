import { readdirSync, readFileSync } from 'node:fs'
import { readProcessCpuSeconds } from './cpu.mjs'

// CPU of the services a relay stores and fans out through (PostgreSQL, Redis), measured from /proc
// beside the relay's own: on one machine they share its cores, so a relay that is cheap because
// PostgreSQL does its work would otherwise look better than it is. PostgreSQL runs a process per
// connection and names each in its title (`postgres: [cluster:] role database host(port) state`),
// so the backends serving the benchmark's database are found by name, and a few shared background
// processes (WAL writer, checkpointer, background writer) that write what every database commits,
// reported apart because other databases on the same server use them too.

/** The shared PostgreSQL processes whose work the benchmark's commits cause (and other databases' too). */
export const POSTGRES_BACKGROUND = ['walwriter', 'checkpointer', 'background writer']

/**
 * Which of `processes` ({ pid, cmdline }, cmdline with spaces between arguments) serve a benchmark:
 * `postgres` the backends connected to `postgresDatabase`, `postgresShared` the server's shared
 * background writers (which write other databases' commits too), `redis` the process `redisPid`.
 * Pure, so the matching is testable without a server.
 */
export function pickServicePids(processes, { postgresDatabase = null, redisPid = null } = {}) {
  const picked = { postgres: [], postgresShared: [], redis: [] }
  for (const { pid, cmdline } of processes) {
    if (pid === redisPid) picked.redis.push(pid)
    else if (postgresDatabase) {
      const kind = postgresKind(cmdline, postgresDatabase)
      if (kind) picked[kind].push(pid)
    }
  }
  return picked
}

function postgresKind(cmdline, database) {
  if (!cmdline.startsWith('postgres: ')) return null
  // Titles may carry the cluster's name first (`postgres: 15/main: walwriter`).
  const title = cmdline.slice('postgres: '.length).replace(/^\S+: /, '').trim()
  if (POSTGRES_BACKGROUND.includes(title)) return 'postgresShared'
  const [, db] = title.split(' ')
  return db === database ? 'postgres' : null
}

/** Every process's pid and command line, from /proc; empty where there is no /proc. */
export function listProcesses() {
  let entries
  try {
    entries = readdirSync('/proc')
  } catch {
    return []
  }
  const out = []
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue
    try {
      out.push({ pid: Number(entry), cmdline: readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ').trim() })
    } catch {
      // the process exited while we listed
    }
  }
  return out
}

/**
 * A sampler of the services' CPU seconds. `sample()` records each service process's CPU now; the
 * difference of two samples is `used(from, to)` in CPU seconds per service. Backends that start
 * within the window count from zero; ones that exit within it are lost (the pool keeps its
 * connections, so there are few of either).
 */
export function createServiceCpu(services) {
  const sample = () => {
    const pids = pickServicePids(listProcesses(), services)
    const read = (list) => new Map(list.map((pid) => [pid, readProcessCpuSeconds(pid)]).filter(([, s]) => s !== null))
    return { postgres: read(pids.postgres), postgresShared: read(pids.postgresShared), redis: read(pids.redis) }
  }
  const used = (from, to) => {
    const delta = (a, b) => [...b].reduce((sum, [pid, s]) => sum + s - (a.get(pid) ?? 0), 0)
    return {
      postgres: services.postgresDatabase ? delta(from.postgres, to.postgres) : null,
      postgresShared: services.postgresDatabase ? delta(from.postgresShared, to.postgresShared) : null,
      redis: services.redisPid ? delta(from.redis, to.redis) : null,
    }
  }
  return { sample, used }
}
