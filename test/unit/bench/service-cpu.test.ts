import { describe, expect, it } from 'vitest'
import { listProcesses, pickServicePids } from '../../bench/service-cpu.mjs'

// The benchmark charges PostgreSQL's and Redis's CPU to a target by process title: the backends of
// the target's own database and PostgreSQL's shared writers, never another database's backends.

const PROCESSES = [
  { pid: 10, cmdline: '/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main' },
  { pid: 11, cmdline: 'postgres: 15/main: checkpointer' },
  { pid: 12, cmdline: 'postgres: 15/main: background writer' },
  { pid: 13, cmdline: 'postgres: 15/main: walwriter' },
  { pid: 14, cmdline: 'postgres: 15/main: logical replication launcher' },
  { pid: 20, cmdline: 'postgres: 15/main: parley_bench_app parley_bench_abc 127.0.0.1(5001) idle' },
  { pid: 21, cmdline: 'postgres: 15/main: parley_bench_app parley_bench_abc 127.0.0.1(5002) idle in transaction' },
  { pid: 22, cmdline: 'postgres: parley_bench_app parley_bench_abc 127.0.0.1(5003) COMMIT' },
  { pid: 30, cmdline: 'postgres: 15/main: parley_test_app parley_t_0123 127.0.0.1(6001) idle' },
  { pid: 31, cmdline: 'postgres: 15/main: parley_bench_app parley_bench_abcd 127.0.0.1(6002) idle' },
  { pid: 40, cmdline: 'redis-server 127.0.0.1:6379' },
  { pid: 41, cmdline: 'redis-server 127.0.0.1:40123' },
  { pid: 50, cmdline: 'node server/dist/parley.mjs start' },
]

describe('pickServicePids', () => {
  it('takes the target database\'s backends and, apart, the shared writers; not other databases\' backends', () => {
    expect(pickServicePids(PROCESSES, { postgresDatabase: 'parley_bench_abc', redisPid: 40 }))
      .toEqual({ postgres: [20, 21, 22], postgresShared: [11, 12, 13], redis: [40] })
  })

  it('takes nothing for a service the target does not use', () => {
    expect(pickServicePids(PROCESSES, { postgresDatabase: null, redisPid: null })).toEqual({ postgres: [], postgresShared: [], redis: [] })
    expect(pickServicePids(PROCESSES, { postgresDatabase: 'parley_bench_abc' }).redis).toEqual([])
  })
})

describe('listProcesses', () => {
  it('finds this process with its command line', () => {
    const me = listProcesses().find((p) => p.pid === process.pid)
    expect(me?.cmdline).toContain('node')
  })
})
