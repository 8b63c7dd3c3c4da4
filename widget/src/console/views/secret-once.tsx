import { useEffect, useRef, useState } from 'preact/hooks'
import type { CreatedApiKey } from '@parley/sdk/contract'

/** A new key's secret, shown this once with a copy button: the relay keeps only its hash. */
export function SecretOnce({ created, onDone }: { created: CreatedApiKey; onDone: () => void }) {
  const [copied, setCopied] = useState<boolean | null>(null)
  const ref = useRef<HTMLDivElement>(null)
  // Focus moves to the secret, so a keyboard or screen reader user meets it and its warning first.
  useEffect(() => { ref.current?.focus() }, [created.key.keyId])
  const copy = () => navigator.clipboard.writeText(created.secret).then(() => setCopied(true), () => setCopied(false))
  return (
    <div class="secret-once" role="region" aria-labelledby="secret-h" tabIndex={-1} ref={ref}>
      <h4 id="secret-h">Secret of {created.key.name}</h4>
      <p class="warning"><strong>Copy this secret now.</strong> It is shown only once: the server keeps only its hash.</p>
      <code class="secret" aria-label="Secret">{created.secret}</code>
      <button type="button" onClick={() => void copy()}>Copy secret</button>
      <span role="status">{copied === true ? 'Copied.' : copied === false ? 'Copying failed: select the secret and copy it by hand.' : ''}</span>
      <button type="button" onClick={onDone}>I have saved it</button>
    </div>
  )
}
