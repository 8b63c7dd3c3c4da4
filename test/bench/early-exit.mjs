/**
 * A note for the report if relay process `child` (from child.mjs) has already exited although
 * nobody stopped it, with its last output, which is where a crash explains itself.
 */
export function describeEarlyExit(child) {
  if (child.exitCode === null && child.signalCode === null) return []
  return [`the relay exited during the run (code ${child.exitCode}, signal ${child.signalCode}); its last output:\n${child.tail()}`]
}
