import { Component } from 'preact'
import { MAX_AWAY_AFTER_MIN, type AgentPresence, type SetAgentStatus } from '@parley/sdk/contract'

/** Props of the status selector. */
export interface StatusSelectorProps {
  /** My availability as the relay last said; undefined until it did. */
  me: AgentPresence | undefined
  onChange: (body: SetAgentStatus) => void
}

interface State { minutes: string }

/** The header's status control: available or away, and the idle minutes after which the console sets away. */
export class StatusSelector extends Component<StatusSelectorProps, State> {
  override state: State = { minutes: '' }

  #saveMinutes = (): void => {
    const { me, onChange } = this.props
    const n = Number(this.state.minutes)
    if (!me || this.state.minutes === '' || !Number.isInteger(n) || n < 0 || n > MAX_AWAY_AFTER_MIN || n === me.awayAfterMin) return this.setState({ minutes: '' })
    onChange({ status: me.status === 'away' ? 'away' : 'available', ...(me.status === 'away' && me.auto ? { auto: true } : {}), awayAfterMin: n })
    this.setState({ minutes: '' })
  }

  override render({ me, onChange }: StatusSelectorProps, { minutes }: State) {
    const status = me?.status === 'away' ? 'away' : 'available'
    return (
      <div class="my-status">
        <label class="inline">
          <span>My status</span>
          <select value={status} disabled={!me} onChange={(e) => onChange({ status: (e.currentTarget as HTMLSelectElement).value as 'available' | 'away' })}>
            <option value="available">Available</option>
            <option value="away">Away</option>
          </select>
        </label>
        {me?.status === 'away' && me.auto ? <span class="muted-light">(idle)</span> : null}
        <label class="inline">
          <span>Away after idle (min, 0 = never)</span>
          <input type="number" min={0} max={MAX_AWAY_AFTER_MIN} step={1} class="minutes" disabled={!me}
            value={minutes === '' ? String(me?.awayAfterMin ?? '') : minutes}
            onInput={(e) => this.setState({ minutes: (e.currentTarget as HTMLInputElement).value })}
            onBlur={this.#saveMinutes}
            onKeyDown={(e) => { if (e.key === 'Enter') this.#saveMinutes() }} />
        </label>
      </div>
    )
  }
}
