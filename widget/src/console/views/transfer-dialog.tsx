import { useState } from 'preact/hooks'
import { MAX_NOTE_TEXT, type AgentPresence } from '@parley/sdk/contract'
import type { TransferTarget } from '../controller.js'
import { skillsOf } from '../team-skills.js'
import { STATUS_TEXT } from '../status-text.js'
import { ModalDialog } from '../../ui/modal-dialog.js'


/** Props of the transfer dialog. */
export interface TransferDialogProps {
  /** Everyone's availability (me included; left out of the list). */
  team: Record<string, AgentPresence>
  agentId: string | null
  /** Hands the chat on; true when done (the dialog closes), false when refused (it stays, note kept). */
  onTransfer: (to: TransferTarget, note: string) => Promise<boolean>
}

/**
 * "Transfer…": a dialog to hand the chat to a colleague (with their status and free slots) or to
 * the queue of a skill the team has, with a note for whoever takes it.
 */
export function TransferDialog({ team, agentId, onTransfer }: TransferDialogProps) {
  const [open, setOpen] = useState(false)
  const [kind, setKind] = useState<'agent' | 'skill'>('agent')
  const [to, setTo] = useState('')
  const [note, setNote] = useState('')
  const colleagues = Object.values(team).filter((a) => a.agentId !== agentId).sort((x, y) => x.name.localeCompare(y.name))
  const skills = skillsOf(Object.values(team))
  const close = () => { setOpen(false); setTo(''); setNote('') }
  const opener = <button type="button" class="transfer-open" onClick={() => setOpen(true)}>Transfer…</button>
  if (!open) return opener
  return (
    <>
      {opener}
      <ModalDialog labelledBy="transfer-h" onClose={close}>
        <form class="transfer-dialog"
          onSubmit={(e) => { e.preventDefault(); if (to) void onTransfer(kind === 'agent' ? { agentId: to } : { skill: to }, note).then((done) => { if (done) close() }) }}>
          <h2 id="transfer-h">Transfer this chat</h2>
          <fieldset>
            <legend>To</legend>
            <label class="inline"><input type="radio" name="kind" checked={kind === 'agent'} onChange={() => { setKind('agent'); setTo('') }} /> A colleague</label>
            <label class="inline"><input type="radio" name="kind" checked={kind === 'skill'} disabled={skills.length === 0} onChange={() => { setKind('skill'); setTo('') }} /> A skill's queue</label>
          </fieldset>
          {kind === 'agent' ? (
            <label>Colleague
              <select value={to} onChange={(e) => setTo(e.currentTarget.value)}>
                <option value="">Choose a colleague</option>
                {colleagues.map((a) => (
                  <option key={a.agentId} value={a.agentId}>
                    {a.name} ({STATUS_TEXT[a.status].toLowerCase()}, {Math.max(0, a.capacity - a.activeChats)} of {a.capacity} free{a.skills.length ? `; ${a.skills.join(', ')}` : ''})
                  </option>
                ))}
              </select>
            </label>
          ) : (
            <label>Skill
              <select value={to} onChange={(e) => setTo(e.currentTarget.value)}>
                <option value="">Choose a skill</option>
                {skills.map((s) => <option key={s.skill} value={s.skill}>{s.skill} ({s.available} available)</option>)}
              </select>
            </label>
          )}
          <label>Note for whoever takes it (optional)
            <textarea rows={3} maxLength={MAX_NOTE_TEXT} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
          </label>
          <div class="actions">
            <button type="submit" disabled={!to}>Transfer</button>
            <button type="button" onClick={close}>Cancel</button>
          </div>
        </form>
      </ModalDialog>
    </>
  )
}
