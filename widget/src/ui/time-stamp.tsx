import { formatFullTime, formatMessageTime } from './message-time.js'

/** When a message was written: relative today, the date before; the full date as its tooltip. */
export function TimeStamp({ at, now, locale }: { at: number; now: number; locale: string }) {
  return <time dateTime={new Date(at).toISOString()} title={formatFullTime(at, locale)}>{formatMessageTime(at, now, locale)}</time>
}
