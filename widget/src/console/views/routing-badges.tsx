import type { Routing } from '@parley/sdk/contract'
import { priorityOf } from '../queue-order.js'

/**
 * A conversation's topic, skill and priority as small labelled badges: each says in words what it
 * is ("Priority: urgent"), so the colour only repeats what the text says.
 */
export function RoutingBadges({ routing }: { routing: Routing | null | undefined }) {
  if (!routing || (!routing.topic && !routing.skill && !routing.priority)) return null
  const priority = priorityOf(routing)
  return (
    <ul class="routing" aria-label="Routing">
      {/* Normal priority is everyone's: only a set one stands out. */}
      {routing.priority ? <li class={`rb pri-${priority}`}>Priority: {priority}</li> : null}
      {routing.topic ? <li class="rb">Topic: <bdi>{routing.topic}</bdi></li> : null}
      {routing.skill ? <li class="rb">Skill: <bdi>{routing.skill}</bdi></li> : null}
    </ul>
  )
}
