import type { SecurityConfig } from '@parley/sdk/contract'
import type { Store } from '../store/store.js'
import type { Bus } from '../bus/bus.js'
import type { PolicySettings } from './policy.js'

// The brand's security settings, read on every audited action and policy question that needs them:
// kept per brand for a few seconds, and dropped at once on every node when the document is saved.

/** How long a node trusts its copy when no save was heard (a missed bus note heals within this). */
const TTL_MS = 5_000

/** Cached reads of a brand's security settings. */
export interface SecuritySettings {
  /** The brand's document (null: never saved, every default applies). */
  config(brandId: string): Promise<SecurityConfig | null>
  /** The part the policy reads, defaults filled in. */
  policy(brandId: string): Promise<PolicySettings>
  /** Call after saving the document: every node drops its copy. */
  saved(brandId: string): void
  close(): void
}

/** Security settings over `store`, invalidated through `bus`; `now` reads the clock (ms). */
export function createSecuritySettings(store: Store, bus: Bus, now: () => number): SecuritySettings {
  const cache = new Map<string, { at: number; config: Promise<SecurityConfig | null> }>()
  const stops = [
    bus.subscribeNodes((e) => { if (e.kind === 'brand-document-saved' && e.document === 'security') cache.delete(e.brandId) }),
    bus.onGap((brands) => { if (brands === 'all') cache.clear(); else for (const b of brands) cache.delete(b) }),
  ]
  const config = (brandId: string) => {
    const hit = cache.get(brandId)
    if (hit && now() - hit.at < TTL_MS) return hit.config
    const read = store.getSecurityConfig(brandId)
    cache.set(brandId, { at: now(), config: read })
    read.catch(() => { if (cache.get(brandId)?.config === read) cache.delete(brandId) })
    return read
  }
  return {
    config,
    async policy(brandId) {
      const c = await config(brandId)
      return { agentsSeeCustomerHistory: c?.agentsSeeCustomerHistory ?? false }
    },
    saved(brandId) {
      cache.delete(brandId)
      bus.publishToNodes({ kind: 'brand-document-saved', brandId, document: 'security' })
    },
    close() { for (const s of stops) s() },
  }
}
