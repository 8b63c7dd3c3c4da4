import type { VisitorContext } from '@parley/sdk/contract'
import { safeHref } from '../../ui/linkify.js'
import { duration, localTime, parseUserAgent } from '../user-agent.js'

const NOT_SHARED = 'not shared'

function Link({ url }: { url: string | undefined }) {
  if (!url) return <>—</>
  const href = safeHref(url)
  return href && /^https?:/.test(href) ? <a href={href} target="_blank" rel="noopener noreferrer">{url}</a> : <>{url}</>
}

/** Who the visitor is and where they are, beside the chat. */
export function ContextPanel({ context, visitorId }: { context: VisitorContext | null; visitorId: string }) {
  const c = context ?? {}
  const device = c.userAgent ? parseUserAgent(c.userAgent) : null
  const shared = c.tracking === 'shared'
  const behavioural = (v: string | number | undefined) => (shared && v !== undefined ? String(v) : NOT_SHARED)
  const rows: [string, preact.ComponentChildren][] = [
    ['Visitor', visitorId],
    ['Browser', device?.browser ?? '—'],
    ['OS', device?.os ?? '—'],
    ['Device', device?.device ?? '—'],
    ['Language', c.language ?? '—'],
    ['Page', c.title ? <><bdi>{c.title}</bdi><br /><Link url={c.url} /></> : <Link url={c.url} />],
    ['Referrer', <Link url={c.referrer} />],
    // The deployment rule whose invitation, offer or button the visitor came through (docs/rules.md).
    ...(c.ruleId ? [['Came through rule', <code>{c.ruleId}</code>] as [string, preact.ComponentChildren]] : []),
    ['Pages this visit', behavioural(c.pagesViewed)],
    ['Time on site', shared && c.timeOnSiteSec !== undefined ? duration(c.timeOnSiteSec) : NOT_SHARED],
    ['Returning visitor', shared && c.returning !== undefined ? (c.returning ? 'yes' : 'no') : NOT_SHARED],
    ['Visit count', behavioural(c.visitCount)],
    ['Local time', c.utcOffsetMin !== undefined ? `${localTime(c.utcOffsetMin, Date.now())}${c.timezone ? ` (${c.timezone})` : ''}` : c.timezone ?? '—'],
    // What the brand's page set with Parley('set'), by the brand's own names (string values masked by the relay).
    ...Object.entries(c.values ?? {}).map(([k, v]): [string, preact.ComponentChildren] => [k, <bdi>{String(v)}</bdi>]),
  ]
  return (
    <aside class="context" aria-label="Visitor details">
      <h2>Visitor details</h2>
      <dl>
        {rows.map(([k, v], i) => (<div key={i}><dt>{k}</dt><dd>{v}</dd></div>))}
      </dl>
    </aside>
  )
}
