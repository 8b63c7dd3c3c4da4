import { useEffect, useState } from 'preact/hooks'
import type { Notifier } from '../notifier.js'

/** The agent's own switches for the chime and desktop notifications, and the button that asks the browser. */
export function NoticeSettings({ notifier }: { notifier: Notifier }) {
  const [, tick] = useState(0)
  useEffect(() => notifier.subscribe(() => tick((n) => n + 1)), [notifier])
  const { settings, permission } = notifier
  return (
    <fieldset class="notice-settings">
      <legend>Notifications</legend>
      <label class="inline"><input type="checkbox" checked={settings.sound} onChange={(e) => void notifier.save({ ...settings, sound: e.currentTarget.checked })} /> Sound</label>
      <label class="inline"><input type="checkbox" checked={settings.desktop} onChange={(e) => void notifier.save({ ...settings, desktop: e.currentTarget.checked })} /> Desktop notifications</label>
      {permission === 'default' ? <button type="button" class="link" onClick={() => void notifier.enableDesktop()}>Enable desktop notifications</button>
        : permission === 'denied' ? <p class="muted">The browser blocks notifications for this site; allow them in its site settings.</p>
          : permission === 'unsupported' ? <p class="muted">This browser has no desktop notifications.</p> : null}
      {notifier.error ? <p class="error" role="alert">{notifier.error}</p> : null}
    </fieldset>
  )
}
