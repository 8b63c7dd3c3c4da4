// How the console names a visitor who gave no name, everywhere it names one.

/** "Visitor" and the last six characters of the visitor's id (ids are random, so the tail tells visitors apart). */
export function visitorLabel(visitorId: string): string {
  return `Visitor ${visitorId.slice(-6)}`
}
