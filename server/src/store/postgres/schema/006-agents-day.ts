// 6: the agent's day's sweeps over every brand. The serving role sees one brand per transaction
// (row-level security), so a relay picking up its predecessor's offers, pruning ended offers,
// finding brands with live chats to sweep, or finding uploads never sent, asks these functions.
// Each is SECURITY DEFINER, owned by the owner role (whose policy sees every row), with a pinned
// search_path, narrow arguments, no dynamic SQL, and answers only what its job needs.

const DEFINER = 'SECURITY DEFINER SET search_path = pg_catalog, public'

export const AGENTS_DAY = `
  -- Pending offers of every brand, soonest to expire first (a relay starting up re-arms their timers).
  CREATE FUNCTION parley_pending_offers() RETURNS SETOF routing_offers
    LANGUAGE sql STABLE ${DEFINER} AS $$
      SELECT * FROM routing_offers WHERE outcome IS NULL ORDER BY expires_at, brand_id, conv_id
    $$;

  -- Deletes up to p_limit offers of every brand that ended at or before p_before, oldest first;
  -- rows another node is deleting at the same time are skipped, not waited for.
  CREATE FUNCTION parley_prune_ended_offers(p_before bigint, p_limit integer) RETURNS integer
    LANGUAGE sql VOLATILE ${DEFINER} AS $$
      WITH oldest AS (
        SELECT brand_id, conv_id, offered_at, agent_id FROM routing_offers
        WHERE outcome IS NOT NULL AND ended_at <= p_before
        ORDER BY ended_at LIMIT greatest(p_limit, 0)
        FOR UPDATE SKIP LOCKED
      ), gone AS (
        DELETE FROM routing_offers r USING oldest o
        WHERE (r.brand_id, r.conv_id, r.offered_at, r.agent_id) = (o.brand_id, o.conv_id, o.offered_at, o.agent_id)
        RETURNING 1
      )
      SELECT count(*)::integer FROM gone
    $$;

  -- Brands with an open live chat (the inactivity sweep visits only these).
  CREATE FUNCTION parley_brands_with_open_chats() RETURNS SETOF text
    LANGUAGE sql STABLE ${DEFINER} AS $$
      SELECT DISTINCT brand_id FROM conversations WHERE status = 'open' AND origin = 'chat' ORDER BY brand_id
    $$;

  -- Uploads of every brand never sent, created at or before p_before, oldest first, at most p_limit.
  CREATE FUNCTION parley_unsent_attachments(p_before bigint, p_limit integer) RETURNS SETOF attachments
    LANGUAGE sql STABLE ${DEFINER} AS $$
      SELECT * FROM attachments WHERE conv_id IS NULL AND created_at <= p_before
      ORDER BY created_at, id LIMIT greatest(p_limit, 0)
    $$;

  REVOKE ALL ON FUNCTION parley_pending_offers(), parley_prune_ended_offers(bigint, integer),
    parley_brands_with_open_chats(), parley_unsent_attachments(bigint, integer) FROM PUBLIC;
`
