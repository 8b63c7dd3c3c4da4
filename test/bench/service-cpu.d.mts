/** The shared PostgreSQL processes whose work the benchmark's commits cause (and other databases' too). */
export const POSTGRES_BACKGROUND: string[]
/** Which of `processes` serve a benchmark: the backends of `postgresDatabase`, PostgreSQL's shared writers, and `redisPid`. */
export function pickServicePids(
  processes: { pid: number; cmdline: string }[],
  services?: { postgresDatabase?: string | null; redisPid?: number | null },
): { postgres: number[]; postgresShared: number[]; redis: number[] }
/** Every process's pid and command line, from /proc; empty where there is no /proc. */
export function listProcesses(): { pid: number; cmdline: string }[]
