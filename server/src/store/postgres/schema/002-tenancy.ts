import { DEFINER } from './sql.js'

// 2: the lookups that must look across brands, and the store's write probe.
//
// The pattern every part copies. The serving role sees only the rows of the brand its transaction
// names (row-level security, sql.ts), so a question asked before any brand is known (which brand
// has this site key, this API key, this origin?) or one about every brand (a sweep) cannot be a
// query of the relay's. It is a function instead, owned by the owner role and run with its rights
// (SECURITY DEFINER), whose policy sees every row. Such a function:
//   - answers one narrow question and returns only what the caller needs next (a brand id, a
//     boolean, a count), never a row of another brand;
//   - pins its search_path (DEFINER, sql.ts: pg_temp named, and last), and names its tables as
//     public.*, so nobody can put a table of their own in front of ours while it runs with the
//     owner's rights (the serving role may create nothing in public, nor a temporary table: migrate.ts);
//   - is plain SQL with parameters: no dynamic SQL (EXECUTE), so no value becomes code;
//   - may be called only by the roles granted EXECUTE (migrate.ts grants the serving role; PUBLIC's
//     default grant is revoked here).
// With the brand id in hand, the caller reads the brand's own rows in a transaction naming it
// (tx.setBrand), under the ordinary policies.

/** The functions this migration defines (for the REVOKE below and for tests). */
export const CROSS_BRAND_FUNCTIONS = [
  'parley_brand_by_site_key(text)',
  'parley_brand_by_api_key_hash(text)',
  'parley_origin_allowed_anywhere(text)',
  'parley_sweep_idempotency_keys(bigint)',
  'parley_ping()',
]

export const TENANCY = `
  -- One row: ping() commits an update of it, which fails when the database cannot write. It belongs
  -- to no brand, so the serving role gets no policy on it and reaches it only through parley_ping().
  CREATE TABLE store_probe (
    id boolean PRIMARY KEY DEFAULT true CHECK (id),
    writes bigint NOT NULL DEFAULT 0
  );
  INSERT INTO store_probe DEFAULT VALUES;
  ALTER TABLE store_probe ENABLE ROW LEVEL SECURITY;
  ALTER TABLE store_probe FORCE ROW LEVEL SECURITY;
  CREATE POLICY store_probe_owner ON store_probe TO CURRENT_USER USING (true) WITH CHECK (true);

  /* The brand whose widget carries this site key; NULL when none. */
  CREATE FUNCTION parley_brand_by_site_key(p_site_key text) RETURNS text
    LANGUAGE sql STABLE ${DEFINER}
    AS $$ SELECT brand_id FROM public.brands WHERE site_key = p_site_key $$;

  /* The brand an API key (its hash) belongs to; NULL when none. */
  CREATE FUNCTION parley_brand_by_api_key_hash(p_key_hash text) RETURNS text
    LANGUAGE sql STABLE ${DEFINER}
    AS $$ SELECT brand_id FROM public.api_keys WHERE key_hash = p_key_hash $$;

  /* Whether any brand allows this exact origin (CORS preflights carry no credentials). */
  CREATE FUNCTION parley_origin_allowed_anywhere(p_origin text) RETURNS boolean
    LANGUAGE sql STABLE ${DEFINER}
    AS $$ SELECT EXISTS (SELECT 1 FROM public.brand_origins WHERE origin = p_origin) $$;

  /* Deletes every brand's Idempotency-Keys created at or before p_stale_before; how many. */
  CREATE FUNCTION parley_sweep_idempotency_keys(p_stale_before bigint) RETURNS integer
    LANGUAGE sql VOLATILE ${DEFINER}
    AS $$ WITH gone AS (DELETE FROM public.idempotency_keys WHERE created_at <= p_stale_before RETURNING 1) SELECT count(*)::integer FROM gone $$;

  /* The write probe of Store.ping. */
  CREATE FUNCTION parley_ping() RETURNS void
    LANGUAGE sql VOLATILE ${DEFINER}
    AS $$ UPDATE public.store_probe SET writes = writes + 1 $$;

  ${CROSS_BRAND_FUNCTIONS.map((f) => `REVOKE ALL ON FUNCTION ${f} FROM PUBLIC;`).join('\n  ')}
`
