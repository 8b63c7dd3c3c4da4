import { brandOwned, CURRENT_BRAND, DEFINER } from './sql.js'

// 5: who may see what (issue 18): agents' roles and activity, several scoped API keys per brand,
// agents' sessions, the audit log, the brand's security settings, identity secrets, verified
// customers, and refused token ids. Every new table is brand-owned under row-level security
// (sql.ts); the lookups made before a brand is known, and the sweeps over every brand, are
// SECURITY DEFINER functions in the pattern 002-tenancy.ts sets out.
//
// The audit log is append-only for the serving role: migrate.ts takes UPDATE and DELETE on it away
// again after granting rows of every table (APPEND_ONLY_TABLES), so the only way to delete an entry
// is parley_purge_audit, which deletes only the transaction's brand's entries older than a time.

/** Tables the serving role may insert into and read, never change or delete from (migrate.ts). */
export const APPEND_ONLY_TABLES = ['audit_log']

/** The functions this migration defines (for the REVOKE below and for tests). */
export const ACCESS_FUNCTIONS = [
  'parley_api_key_by_hash(text)',
  'parley_brand_ids(text, integer)',
  'parley_prune_revoked_token_ids(bigint, integer)',
  'parley_purge_audit(bigint, integer)',
]

/** Functions of earlier migrations this one drops: nothing calls them any more. */
export const ACCESS_DROPPED_FUNCTIONS = ['parley_brand_by_api_key_hash(text)']

const TABLES = ['sessions', 'audit_heads', 'audit_log', 'identity_secrets', 'customers', 'revoked_token_ids', 'visit_identity_tokens']

/**
 * Every scope there is now, written out (as SQLite's migration 14 does): a migration never changes
 * once shipped, so a scope added to the contract later is not granted to old keys by this.
 */
const ALL_SCOPES_JSON = `'["config:read","config:write","transcripts:read","reports:read","agents:write","keys:write","audit:read","data:export","data:erase","webhooks:write"]'::jsonb`

export const ACCESS = `
  -- Accounts from before roles existed become supervisors: what they could see before, and no more
  -- (they could not manage keys, accounts or configuration); the bootstrap key, or parley agent
  -- role, names the admins. New accounts default to the least role.
  ALTER TABLE agents ADD COLUMN role text NOT NULL DEFAULT 'supervisor' CHECK (role IN ('agent', 'supervisor', 'admin'));
  ALTER TABLE agents ALTER COLUMN role SET DEFAULT 'agent';
  ALTER TABLE agents ADD COLUMN active boolean NOT NULL DEFAULT true;

  -- Each brand had one key, its bootstrap key: it becomes an admin key with every scope. Its id is
  -- derived from its hash, as a new brand's bootstrap key's is (postgres/api-keys.ts).
  ALTER TABLE api_keys
    ADD COLUMN key_id text,
    ADD COLUMN name text,
    ADD COLUMN scopes jsonb,
    ADD COLUMN prefix text,
    ADD COLUMN last_used_at bigint,
    ADD COLUMN expires_at bigint,
    ADD COLUMN revoked_at bigint,
    ADD COLUMN created_by text,
    -- The key that replaced it by rotation: a rotated key is not rotated again.
    ADD COLUMN replaced_by text;
  UPDATE api_keys SET key_id = 'k_' || left(key_hash, 22), name = 'bootstrap', scopes = ${ALL_SCOPES_JSON},
    prefix = 'sk_', created_by = 'cli';
  ALTER TABLE api_keys
    ALTER COLUMN key_id SET NOT NULL,
    ALTER COLUMN name SET NOT NULL,
    ALTER COLUMN scopes SET NOT NULL,
    ALTER COLUMN prefix SET NOT NULL,
    ALTER COLUMN created_by SET NOT NULL,
    ADD CONSTRAINT api_keys_key_id UNIQUE (brand_id, key_id);

  CREATE TABLE sessions (
    brand_id text NOT NULL REFERENCES brands (brand_id),
    session_id text NOT NULL,
    agent_id text NOT NULL,
    created_at bigint NOT NULL,
    last_seen_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    revoked_at bigint,
    address text,
    user_agent text,
    PRIMARY KEY (brand_id, session_id)
  );
  CREATE INDEX sessions_by_agent ON sessions (brand_id, agent_id) WHERE revoked_at IS NULL;
  CREATE INDEX sessions_by_created ON sessions (brand_id, created_at);

  -- Numbered per brand from audit_heads, whose row an append locks until it commits: numbers are
  -- given in commit order, so a reader paging newest first (before a number) never passes a number
  -- whose entry commits later. A purge leaves the head alone: numbers keep increasing.
  CREATE TABLE audit_heads (
    brand_id text PRIMARY KEY REFERENCES brands (brand_id),
    last_no bigint NOT NULL
  );
  CREATE TABLE audit_log (
    brand_id text NOT NULL REFERENCES brands (brand_id),
    entry_no bigint NOT NULL,
    at bigint NOT NULL,
    actor_kind text NOT NULL CHECK (actor_kind IN ('agent', 'key', 'visitor', 'system', 'anonymous')),
    actor_id text,
    action text NOT NULL,
    resource_type text,
    resource_id text,
    outcome text NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
    code text,
    address text,
    detail jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (brand_id, entry_no)
  );
  CREATE INDEX audit_log_by_at ON audit_log (brand_id, at);
  CREATE INDEX audit_log_by_actor ON audit_log (brand_id, actor_kind, actor_id, entry_no);
  CREATE INDEX audit_log_by_action ON audit_log (brand_id, action, entry_no);

  ALTER TABLE brands ADD COLUMN security_config jsonb;

  CREATE TABLE identity_secrets (
    brand_id text NOT NULL REFERENCES brands (brand_id),
    secret_id text NOT NULL,
    secret text NOT NULL,
    created_at bigint NOT NULL,
    PRIMARY KEY (brand_id, secret_id)
  );

  CREATE TABLE customers (
    brand_id text NOT NULL REFERENCES brands (brand_id),
    customer_id text NOT NULL,
    visitor_id text NOT NULL,
    name text,
    email text,
    verified_at bigint NOT NULL,
    PRIMARY KEY (brand_id, customer_id),
    -- One visitor stands for one customer: its conversations are that customer's alone.
    UNIQUE (brand_id, visitor_id)
  );

  CREATE TABLE revoked_token_ids (
    brand_id text NOT NULL REFERENCES brands (brand_id),
    token_id text NOT NULL,
    until bigint NOT NULL,
    PRIMARY KEY (brand_id, token_id)
  );
  CREATE INDEX revoked_token_ids_by_until ON revoked_token_ids (until);

  -- The identity tokens each visit verified with, refused together when the visit ends.
  CREATE TABLE visit_identity_tokens (
    brand_id text NOT NULL REFERENCES brands (brand_id),
    sid text NOT NULL,
    digest text NOT NULL,
    until bigint NOT NULL,
    PRIMARY KEY (brand_id, sid, digest)
  );
  CREATE INDEX visit_identity_tokens_by_until ON visit_identity_tokens (until);

  /* The key with this hash: its brand and id (the caller reads the row under that brand); none when unknown. */
  CREATE FUNCTION parley_api_key_by_hash(p_key_hash text) RETURNS TABLE (brand_id text, key_id text)
    LANGUAGE sql STABLE ${DEFINER}
    AS $$ SELECT k.brand_id, k.key_id FROM public.api_keys k WHERE k.key_hash = p_key_hash $$;

  /* Brand ids after p_after (NULL: from the first) in byte order, at most p_limit (sweeps over every brand). */
  CREATE FUNCTION parley_brand_ids(p_after text, p_limit integer) RETURNS SETOF text
    LANGUAGE sql STABLE ${DEFINER}
    AS $$ SELECT b.brand_id FROM public.brands b WHERE p_after IS NULL OR b.brand_id COLLATE "C" > p_after COLLATE "C"
      ORDER BY b.brand_id COLLATE "C" LIMIT greatest(p_limit, 0) $$;

  /*
   * Deletes up to p_limit refused token ids of every brand whose refusal ended at or before p_now,
   * and up to p_limit visits' recorded identity tokens past theirs; how many rows in all.
   */
  CREATE FUNCTION parley_prune_revoked_token_ids(p_now bigint, p_limit integer) RETURNS integer
    LANGUAGE sql VOLATILE ${DEFINER}
    AS $$
      WITH old AS (
        SELECT brand_id, token_id FROM public.revoked_token_ids WHERE until <= p_now
        ORDER BY until LIMIT greatest(p_limit, 0) FOR UPDATE SKIP LOCKED
      ), gone AS (
        DELETE FROM public.revoked_token_ids r USING old o WHERE (r.brand_id, r.token_id) = (o.brand_id, o.token_id) RETURNING 1
      ), old_used AS (
        SELECT brand_id, sid, digest FROM public.visit_identity_tokens WHERE until <= p_now
        ORDER BY until LIMIT greatest(p_limit, 0) FOR UPDATE SKIP LOCKED
      ), gone_used AS (
        DELETE FROM public.visit_identity_tokens v USING old_used o WHERE (v.brand_id, v.sid, v.digest) = (o.brand_id, o.sid, o.digest) RETURNING 1
      )
      SELECT ((SELECT count(*) FROM gone) + (SELECT count(*) FROM gone_used))::integer
    $$;

  /*
   * Deletes up to p_limit audit entries of the transaction's brand (never an argument) older than
   * p_before, oldest first; how many. The one way to delete an entry: the serving role may not.
   */
  CREATE FUNCTION parley_purge_audit(p_before bigint, p_limit integer) RETURNS integer
    LANGUAGE sql VOLATILE ${DEFINER}
    AS $$
      WITH old AS (
        SELECT a.brand_id, a.entry_no FROM public.audit_log a WHERE a.brand_id = ${CURRENT_BRAND} AND a.at < p_before
        ORDER BY a.entry_no LIMIT greatest(p_limit, 0) FOR UPDATE SKIP LOCKED
      ), gone AS (
        DELETE FROM public.audit_log l USING old o WHERE (l.brand_id, l.entry_no) = (o.brand_id, o.entry_no) RETURNING 1
      )
      SELECT count(*)::integer FROM gone
    $$;

  DROP FUNCTION parley_brand_by_api_key_hash(text);

  ${ACCESS_FUNCTIONS.map((f) => `REVOKE ALL ON FUNCTION ${f} FROM PUBLIC;`).join('\n  ')}
  ${TABLES.map(brandOwned).join('')}
`
