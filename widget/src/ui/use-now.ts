import { useEffect, useState } from 'preact/hooks'

/** The current time, refreshed every `ms` while mounted, so "5 minutes ago" keeps counting. */
export function useNow(ms: number): number {
  const [now, setNow] = useState(Date.now)
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms)
    return () => clearInterval(timer)
  }, [ms])
  return now
}
