// Building blocks of the PostgreSQL schema's migrations.

/** The setting that names the brand a transaction acts for (set per transaction, never per session). */
export const BRAND_SETTING = 'parley.brand_id'

/**
 * The brand the current transaction acts for, as SQL: NULL when none was set (the setting is '' then,
 * or missing), so it matches no row, not even one whose brand_id is ''.
 */
export const CURRENT_BRAND = `nullif(current_setting('${BRAND_SETTING}', true), '')`

/**
 * How every cross-brand function runs (002-tenancy.ts sets out the pattern): with its owner's rights,
 * and a search_path pinned so that nothing the caller can create is found first. pg_temp is named, and
 * last: a search_path that leaves it out has it searched FIRST, where a session's temporary table
 * would stand in for ours. The function bodies name their tables as public.* besides.
 */
export const DEFINER = 'SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp'

/**
 * Row-level security for a brand-owned table (one with a `brand_id` column): the serving role sees
 * and writes only the rows of the brand its transaction set, FORCE makes the table's owner obey the
 * policies too, and the owner (the role migrations run as, which owns the SECURITY DEFINER functions
 * that look across brands) gets a policy of its own that sees every row.
 */
export function brandOwned(table: string): string {
  return `
  ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
  ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
  CREATE POLICY ${table}_brand ON ${table} USING (brand_id = ${CURRENT_BRAND}) WITH CHECK (brand_id = ${CURRENT_BRAND});
  CREATE POLICY ${table}_owner ON ${table} TO CURRENT_USER USING (true) WITH CHECK (true);
  `
}
