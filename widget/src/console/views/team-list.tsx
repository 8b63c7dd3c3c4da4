import { Component } from 'preact'
import type { AgentPresence } from '@parley/sdk/contract'
import { STATUS_TEXT } from '../status-text.js'

/** Props of the team list. */
export interface TeamListProps {
  team: Record<string, AgentPresence>
  /** Me: left out of the list (my status is in the header). */
  agentId: string | null
}

/** My colleagues with their status, open chats against capacity and skills, kept live by agent.status frames. */
export class TeamList extends Component<TeamListProps> {
  override render({ team, agentId }: TeamListProps) {
    const colleagues = Object.values(team).filter((a) => a.agentId !== agentId).sort((x, y) => x.name.localeCompare(y.name) || x.agentId.localeCompare(y.agentId))
    return (
      <section aria-labelledby="team-h" class="team">
        <h2 id="team-h">Team</h2>
        {colleagues.length === 0 ? <p class="muted">No colleagues yet.</p> : null}
        <ul>
          {colleagues.map((a) => (
            <li key={a.agentId} data-agent={a.agentId}>
              <span class="name">{a.name}</span>
              <span class={`presence ${a.status}`}>{STATUS_TEXT[a.status]}</span>
              <span class="muted load" title="Open chats / capacity">{a.activeChats}/{a.capacity} chats</span>
              {a.skills.length > 0 ? <span class="muted skills">Skills: {a.skills.join(', ')}</span> : null}
            </li>
          ))}
        </ul>
      </section>
    )
  }
}
