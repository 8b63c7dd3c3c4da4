import { WIDGET_DEFAULTS, type TrackingSetting } from '@parley/sdk/contract'
import type { Store } from '../store/store.js'
import type { Bus } from '../bus/bus.js'

// The brand's tracking setting (part of the widget configuration), asked on every visitor hello,
// context.update and offline form (consented-context.ts): kept per brand for a few seconds, and
// dropped at once on every node when the widget configuration is saved, as the security settings are.

/** How long a node trusts its copy when no save was heard (a missed bus note heals within this). */
const TTL_MS = 5_000

/** Cached reads of the brands' tracking settings. */
export interface TrackingSettings {
  /** The brand's setting, the default filled in. */
  tracking(brandId: string): Promise<TrackingSetting>
  /** Call after saving the widget configuration: every node drops its copy. */
  saved(brandId: string): void
  close(): void
}

/** Tracking settings over `store`, invalidated through `bus`; `now` reads the clock (ms). */
export function createTrackingSettings(store: Pick<Store, 'getWidgetConfig'>, bus: Pick<Bus, 'subscribeNodes' | 'onGap' | 'publishToNodes'>, now: () => number): TrackingSettings {
  const cache = new Map<string, { at: number; tracking: Promise<TrackingSetting> }>()
  const stops = [
    bus.subscribeNodes((e) => { if (e.kind === 'brand-document-saved' && e.document === 'widget') cache.delete(e.brandId) }),
    bus.onGap((brands) => { if (brands === 'all') cache.clear(); else for (const b of brands) cache.delete(b) }),
  ]
  return {
    tracking(brandId) {
      const hit = cache.get(brandId)
      if (hit && now() - hit.at < TTL_MS) return hit.tracking
      const read = store.getWidgetConfig(brandId).then((c) => c.tracking ?? WIDGET_DEFAULTS.tracking)
      cache.set(brandId, { at: now(), tracking: read })
      read.catch(() => { if (cache.get(brandId)?.tracking === read) cache.delete(brandId) })
      return read
    },
    saved(brandId) {
      cache.delete(brandId)
      bus.publishToNodes({ kind: 'brand-document-saved', brandId, document: 'widget' })
    },
    close() { for (const s of stops) s() },
  }
}
