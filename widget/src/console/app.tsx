import { useCallback, useEffect, useMemo, useState } from 'preact/hooks'
import type { Colleague } from '@parley/sdk/contract'
import type { LinkStatus } from '@parley/sdk/connection'
import type { ConsoleController } from './controller.js'
import { agents as fetchAgents } from './api.js'
import { consoleTitle, handedOff } from './state.js'
import { Sidebar } from './views/sidebar.js'
import { ChatView } from './views/chat-view.js'
import { ContextPanel } from './views/context-panel.js'
import { Transcripts } from './views/transcripts.js'
import { EarlierConversations } from './views/earlier-conversations.js'
import { historyOwnerOf } from './earlier-conversations.js'
import { RuleStats } from './views/rule-stats.js'
import { ReportsLoader } from './views/reports-loader.js'
import { StatusSelector } from './views/status-selector.js'
import { CannedLibrary } from './canned-library.js'
import { CannedReplies } from './views/canned-replies.js'
import { OfferCards } from './views/offer-cards.js'
import { TransferDialog } from './views/transfer-dialog.js'
import { TransferNote } from './views/transfer-note.js'
import { Floor } from './views/floor.js'
import { NoticeSettings } from './views/notice-settings.js'
import { createConsoleNotifier } from './console-notifier.js'
import { supervisor } from './api.js'
import type { Role } from '@parley/sdk/contract'
import { managesBrandCanned, showsView, type ConsoleView } from './role-views.js'
import { Admin } from './views/admin.js'

/** What the badge says for each state of the agent's connection. */
const LINK_TEXT: Record<LinkStatus, string> = {
  connected: 'Online', connecting: 'Connecting…', reconnecting: 'Reconnecting…', offline: 'Offline', stopped: 'Disconnected',
}

/** Props of the signed-in console. */
export interface ConsoleAppProps {
  controller: ConsoleController
  token: string
  agentName: string
  /** My role as the sign-in answered it; the relay's welcome overrides it (a role changed since). */
  role: Role
  /** "Sign out" was pressed. */
  onLogout: () => void
  /** The relay ended the session (revoked, deactivated, expired: the error code), over the socket or a refused REST call. */
  onSignedOut: (code?: string) => void
}

/** The signed-in console: queue and chats on the left, the chat in the middle, the visitor on the right. */
export function ConsoleApp({ controller, token, agentName, role: signedInRole, onLogout, onSignedOut }: ConsoleAppProps) {
  const [, tick] = useState(0)
  const [chosen, setView] = useState<ConsoleView>('chats')
  /** Sign-out under way (the relay is asked to revoke the session first): one click is enough. */
  const [leaving, setLeaving] = useState(false)
  const [team, setTeam] = useState<Colleague[]>([])
  const canned = useMemo(() => new CannedLibrary(token), [token])
  useEffect(() => controller.subscribe(() => tick((n) => n + 1)), [controller])
  // Sound and desktop notifications; clicking one shows its chat.
  const [notifier] = useState(() => createConsoleNotifier(controller, token, (id) => { setView('chats'); if (controller.state.chats[id]) controller.select(id) }))
  useEffect(() => () => notifier.stop(), [notifier])
  const readFloor = useCallback(() => supervisor(token), [token])
  useEffect(() => { fetchAgents(token).then((r) => setTeam(r.agents), () => setTeam([])) }, [token])
  useEffect(() => {
    const onVisibility = () => controller.setVisible(document.visibilityState === 'visible')
    onVisibility()
    document.addEventListener('visibilitychange', onVisibility)
    return () => document.removeEventListener('visibilitychange', onVisibility)
  }, [controller])
  const s = controller.state
  const role = s.role ?? signedInRole
  // The relay closed the socket for good (session revoked, account deactivated): back to sign-in.
  useEffect(() => { if (s.signedOut) onSignedOut(s.signedOut) }, [s.signedOut])
  // A role lowered while signed in takes its pages away, the one on screen too.
  const view = showsView(role, chosen) ? chosen : 'chats'
  const onAuthLost = onSignedOut
  const chat = s.active ? s.chats[s.active] : null
  // Waiting visitors and unread lines show in the tab's title, so a console in the background still calls.
  useEffect(() => { document.title = consoleTitle(s) })
  useEffect(() => { controller.markRead() }, [chat?.lines.length, s.active])
  return (
    <div class="console">
      <header class="top">
        <h1>Parley console</h1>
        <span class={`status ${s.link}`} role="status">{LINK_TEXT[s.link]}</span>
        <StatusSelector me={controller.me} onChange={(body) => void controller.setStatus(body)} />
        <NoticeSettings notifier={notifier} />
        <span>{agentName}</span>
        <button type="button" disabled={leaving} onClick={() => { setLeaving(true); onLogout() }}>{leaving ? 'Signing out…' : 'Sign out'}</button>
      </header>
      {s.error ? <p class="error banner" role="alert">{s.error} <button type="button" onClick={() => controller.clearError()}>Dismiss</button></p> : null}
      <div class="cols">
        <Sidebar state={s} view={view} role={role} onView={setView} onAccept={(id) => { setView('chats'); void controller.accept(id) }} onSelect={(id) => controller.select(id)} onMoreQueue={() => void controller.moreQueue()} onOrderQueue={(newest) => void controller.orderQueue(newest)} />
        <main class="main">
          <OfferCards offers={s.desk.offers} missed={s.desk.missed} names={s.names} onAccept={(id) => { setView('chats'); void controller.accept(id) }}
            onDecline={(id) => void controller.decline(id)} onForgetMissed={(before) => controller.forgetMissed(before)}
            onExpire={(now) => controller.expireOffers(now)} />
          {view === 'floor' ? <Floor state={s} read={readFloor} onAuthLost={onAuthLost} />
            : view === 'transcripts' ? <Transcripts token={token} agents={team} onAuthLost={onAuthLost} />
            : view === 'rules' ? <RuleStats token={token} onAuthLost={onAuthLost} />
            : view === 'reports' ? <ReportsLoader token={token} onAuthLost={onAuthLost} />
            : view === 'canned' ? <CannedReplies library={canned} brandWide={managesBrandCanned(role)} />
            : view === 'admin' ? <Admin role={role} token={token} onAuthLost={onAuthLost} />
            : chat ? <ChatView key={chat.convId} chat={chat} contact={s.contacts[chat.convId] ?? null} name={s.names[chat.convId]}
              handedTo={handedOff(s, chat) ? team.find((a) => a.agentId === chat.assignedAgentId)?.name ?? 'a colleague' : null}
              transfer={<TransferDialog team={s.team} agentId={s.agentId} onTransfer={(to, note) => controller.transfer(chat.convId, to, note)} />}
              note={<TransferNote note={s.desk.notes[chat.convId]} />}
              onSend={(t) => void controller.send(chat.convId, t)} onSendFiles={(f) => void controller.send(chat.convId, '', f)}
              load={(id, part) => controller.download(id, part)} onTyping={(a) => controller.typing(chat.convId, a)}
              onClose={() => void controller.closeChat(chat.convId)} onDismiss={() => controller.dismiss(chat.convId)} maxText={s.maxText}
              postSurvey={s.postSurvey} onRequestSurvey={() => void controller.requestSurvey(chat.convId)}
              canned={{ library: canned, agentId: s.agentId, agentName: s.agentName || agentName }}
              notes={s.notes[chat.convId]} onNote={(t, retryId) => void controller.addNote(chat.convId, t, retryId)} />
            : <p class="muted empty">Accept a conversation from the queue to start.</p>}
        </main>
        {view === 'chats' && chat ? <ContextPanel context={chat.context} visitorId={chat.visitorId} customer={chat.customer ?? null}
          contact={s.contacts[chat.convId] ?? null} name={s.names[chat.convId] ?? null} routing={chat.routing ?? null} responses={chat.responses ?? []} surveys={s.surveys}>
          <EarlierConversations key={chat.convId} token={token} owner={historyOwnerOf(chat)} currentConvId={chat.convId} onAuthLost={onAuthLost} />
        </ContextPanel> : null}
      </div>
    </div>
  )
}
