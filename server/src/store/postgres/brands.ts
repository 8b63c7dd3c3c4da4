import type { Brand, BrandUpdate, NewBrand, Store } from '../store.js'
import type { PgDb, PgTx } from './db.js'
import { insertApiKey } from './api-keys.js'
import { bootstrapKey } from '../bootstrap-key.js'

// Brands, their allowed origins and bootstrap API key (api-keys.ts holds the rest of the keys). A
// brand is found by id in a transaction naming it; by site key or origin through the cross-brand
// functions of migration 2 (schema/002-tenancy.ts), which answer only a brand id, whose rows are then
// read in the same transaction naming that brand.

type BrandMethods = Pick<Store, 'createBrand' | 'getBrand' | 'getBrandBySiteKey' | 'isOriginAllowedAnywhere' | 'updateBrand'>

interface BrandRow { brand_id: string; name: string; site_key: string; created_at: number; origins: string[] }

// Origins in byte order, as the SQLite store lists them (COLLATE "C" whatever the database's locale).
const BRAND_BY_ID = `SELECT b.brand_id, b.name, b.site_key, b.created_at,
    ARRAY(SELECT o.origin FROM brand_origins o WHERE o.brand_id = b.brand_id ORDER BY o.origin COLLATE "C") AS origins
  FROM brands b WHERE b.brand_id = $1`

function toBrand(r: BrandRow): Brand {
  return { brandId: r.brand_id, name: r.name, siteKey: r.site_key, allowedOrigins: r.origins, createdAt: r.created_at }
}

/** The brand `brandId` as the transaction (which must name it) sees it; null when none. */
async function readBrand(tx: PgTx, brandId: string): Promise<Brand | null> {
  const r = await tx.one<BrandRow>(BRAND_BY_ID, [brandId])
  return r ? toBrand(r) : null
}

/** Adds origins to a brand (duplicates in the list are stored once). */
async function addOrigins(tx: PgTx, brandId: string, origins: readonly string[]): Promise<void> {
  if (origins.length === 0) return
  await tx.run(`INSERT INTO brand_origins (brand_id, origin) SELECT $1, o FROM unnest($2::text[]) AS o
    ON CONFLICT DO NOTHING`, [brandId, origins])
}

/** Whether the stored brand is what `b` would create: the same fields, origins and bootstrap key. */
async function isSameBrand(tx: PgTx, stored: Brand, b: NewBrand): Promise<boolean> {
  const origins = [...new Set(b.allowedOrigins)].sort()
  if (stored.name !== b.name || stored.siteKey !== b.siteKey || stored.createdAt !== b.createdAt) return false
  if (stored.allowedOrigins.length !== origins.length || [...stored.allowedOrigins].sort().some((o, i) => o !== origins[i])) return false
  // The brand may have made more keys since; the repeat is the same create when its bootstrap key is there.
  const key = await tx.one<{ created_at: number }>('SELECT created_at FROM api_keys WHERE brand_id = $1 AND key_hash = $2 AND created_by = $3',
    [b.brandId, b.apiKeyHash, 'cli'])
  return key?.created_at === b.createdAt
}

/** The brand's row and API key, without ON CONFLICT: a brand id, site key or key hash already taken fails (23505). */
async function insertBrandRows(tx: PgTx, b: NewBrand): Promise<void> {
  await tx.run('INSERT INTO brands (brand_id, name, site_key, created_at) VALUES ($1, $2, $3, $4)', [b.brandId, b.name, b.siteKey, b.createdAt])
  await insertApiKey(tx, bootstrapKey(b))
}

/** Looks a brand up by `fn` (a cross-brand function answering a brand id) and reads it under its own brand. */
function brandFoundBy(db: PgDb, fn: 'parley_brand_by_site_key') {
  return (arg: string) => db.tx(null, async (tx) => {
    const found = await tx.one<{ brand_id: string | null }>(`SELECT ${fn}($1) AS brand_id`, [arg])
    if (!found?.brand_id) return null
    await tx.setBrand(found.brand_id)
    return readBrand(tx, found.brand_id)
  })
}

/** The Store's brand methods over `db`. */
export function createBrands(db: PgDb): BrandMethods {
  return {
    // A repeat of a create that committed (its COMMIT's answer lost, db.ts) finds the same brand and
    // answers it; anything else already there is refused as the plain inserts refuse it (23505).
    async createBrand(b) {
      return db.tx(b.brandId, async (tx) => {
        const inserted = await tx.run(`INSERT INTO brands (brand_id, name, site_key, created_at) VALUES ($1, $2, $3, $4)
          ON CONFLICT DO NOTHING`, [b.brandId, b.name, b.siteKey, b.createdAt])
        if (inserted === 0) {
          const existing = await readBrand(tx, b.brandId)
          if (existing && await isSameBrand(tx, existing, b)) return existing
          await insertBrandRows(tx, b) // refused: the row that is there differs
        } else {
          await addOrigins(tx, b.brandId, b.allowedOrigins)
          await insertApiKey(tx, bootstrapKey(b))
        }
        return (await readBrand(tx, b.brandId))!
      })
    },
    async getBrand(brandId) { return db.tx(brandId, (tx) => readBrand(tx, brandId)) },
    getBrandBySiteKey: brandFoundBy(db, 'parley_brand_by_site_key'),
    async isOriginAllowedAnywhere(origin) {
      return db.tx(null, async (tx) => (await tx.one<{ ok: boolean }>('SELECT parley_origin_allowed_anywhere($1) AS ok', [origin]))?.ok === true)
    },
    async updateBrand(brandId: string, u: BrandUpdate) {
      return db.tx(brandId, async (tx) => {
        // The row lock orders two updates of one brand: the origins each writes are replaced whole.
        const locked = await tx.one('SELECT 1 FROM brands WHERE brand_id = $1 FOR UPDATE', [brandId])
        if (!locked) return null
        if (u.name !== undefined) await tx.run('UPDATE brands SET name = $2 WHERE brand_id = $1', [brandId, u.name])
        if (u.allowedOrigins !== undefined) {
          await tx.run('DELETE FROM brand_origins WHERE brand_id = $1', [brandId])
          await addOrigins(tx, brandId, u.allowedOrigins)
        }
        return readBrand(tx, brandId)
      })
    },
  }
}
