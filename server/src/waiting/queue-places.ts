// Where each waiting visitor stands and how long they may wait. Pure: the queue and the recent
// waits in, places out; queue-announcer.ts reads the store and sends what changed.

/** A live chat waiting for an agent, in the order routing offers them (priority, then age). */
export interface WaitingChat {
  convId: string
  visitorId: string
  /** The skill it needs; null: any agent may take it. */
  skill: string | null
  /** How long it has waited so far (since it entered the queue); absent: not known. */
  waitedMs?: number
}

/** One visitor's place: 1 is next. */
export interface QueuePlace {
  visitorId: string
  position: number
  estimatedWaitSec?: number
}

/** What the estimate is made from: how long chats accepted lately waited, over how long a window. */
export interface RecentWaits {
  /** Waits in ms of the chats accepted in the window, newest first. */
  waitsMs: readonly number[]
  windowMs: number
}

/** Fewer acceptances than this in the window: too little history, no estimate. */
export const MIN_ACCEPTED_FOR_ESTIMATE = 3

/**
 * Each chat's place. A chat ahead counts when it needs the same skill or none: a chat needing another
 * skill goes to other agents and does not hold this one up; a chat needing none counts for everyone,
 * since any agent may take it. A chat needing no skill counts only the others that need none.
 */
export function queuePlaces(queue: readonly WaitingChat[], recent: RecentWaits): Map<string, QueuePlace> {
  const places = new Map<string, QueuePlace>()
  const bySkill = new Map<string, number>()
  let anySkill = 0
  for (const chat of queue) {
    const ahead = anySkill + (chat.skill === null ? 0 : bySkill.get(chat.skill) ?? 0)
    if (chat.skill === null) anySkill++
    else bySkill.set(chat.skill, (bySkill.get(chat.skill) ?? 0) + 1)
    const position = ahead + 1
    const estimate = atLeastWaited(estimateWaitSec(position, recent), chat.waitedMs)
    places.set(chat.convId, { visitorId: chat.visitorId, position, ...(estimate !== null ? { estimatedWaitSec: estimate } : {}) })
  }
  return places
}

/**
 * The wait at `position`, in seconds, or null with too little history. Two views, the smaller kept:
 * throughput (position ÷ chats accepted per second lately), right when agents are busy and the queue
 * never empties; and position × the median recent wait, right when agents were idle and chats were
 * taken at once (then throughput only measures how few visitors came). Rounded so that small
 * changes send nothing: to 15 s under two minutes, then to the minute.
 */
export function estimateWaitSec(position: number, recent: RecentWaits): number | null {
  const n = recent.waitsMs.length
  if (n < MIN_ACCEPTED_FOR_ESTIMATE || recent.windowMs <= 0) return null
  const byThroughput = (position * recent.windowMs) / n
  const sorted = [...recent.waitsMs].sort((a, b) => a - b)
  const median = n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2
  const byMedian = position * median
  return roundWait(Math.min(byThroughput, byMedian) / 1000)
}

/**
 * The estimate, never below what the visitor has waited already: a visitor still waiting after
 * longer than recent chats took shows the queue moves slower now than its history says, and "less
 * than a minute" after five minutes reads as false. As long again as they have waited is the
 * honest guess; no history (null) stays no estimate.
 */
export function atLeastWaited(estimateSec: number | null, waitedMs: number | undefined): number | null {
  if (estimateSec === null || waitedMs === undefined) return estimateSec
  return Math.max(estimateSec, roundWait(waitedMs / 1000))
}

/** Rounds seconds to 15 s under two minutes, else to the minute (never below 15 s: "any moment" is not a promise). */
export function roundWait(sec: number): number {
  if (sec < 120) return Math.max(15, Math.round(sec / 15) * 15)
  return Math.round(sec / 60) * 60
}

/** The places of `next` that differ from `sent` (position or estimate): what to send. */
export function changedPlaces(sent: ReadonlyMap<string, QueuePlace>, next: ReadonlyMap<string, QueuePlace>): [string, QueuePlace][] {
  const out: [string, QueuePlace][] = []
  for (const [convId, p] of next) {
    const before = sent.get(convId)
    if (!before || before.position !== p.position || before.estimatedWaitSec !== p.estimatedWaitSec) out.push([convId, p])
  }
  return out
}
