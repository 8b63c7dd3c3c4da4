import { plural } from '../i18n/plural.js'
import type { Strings } from '../i18n/strings.js'
import type { QueuePlace } from './state.js'

/** "You are 3rd in line · about 2 min": the visitor's place, and the estimate when the relay gave one. Pure. */
export function queueText(q: QueuePlace, strings: Strings): string {
  const place = q.position === 1 ? strings.queueNext : plural(strings.locale, strings.queuePlace, q.position, 'ordinal')
  const sec = q.estimatedWaitSec
  if (sec === undefined) return place
  return `${place} · ${sec < 60 ? strings.waitSoon : plural(strings.locale, strings.waitMin, Math.round(sec / 60))}`
}
