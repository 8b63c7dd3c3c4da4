import { DEFINER } from './sql.js'

// 4: the agent's day's sweeps over every brand, as SECURITY DEFINER functions in the pattern
// 002-tenancy.ts sets out: a relay picking up its predecessor's offers, pruning ended offers,
// finding brands with live chats to sweep, or finding uploads never sent. Each answers one narrow
// question with ids (brands, attachments) or a count; the caller then reads the rows in a
// transaction naming their brand, under the ordinary policies.

/** The functions this migration defines (for the REVOKE below and for tests). */
export const AGENTS_DAY_FUNCTIONS = [
  'parley_brands_with_pending_offers()',
  'parley_prune_ended_offers(bigint, integer)',
  'parley_brands_with_open_chats()',
  'parley_unsent_attachment_ids(bigint, integer)',
]

export const AGENTS_DAY = `
  /* Brands with a pending offer (a relay starting up re-arms the timers of every brand's). */
  CREATE FUNCTION parley_brands_with_pending_offers() RETURNS SETOF text
    LANGUAGE sql STABLE ${DEFINER}
    AS $$ SELECT DISTINCT brand_id FROM public.routing_offers WHERE outcome IS NULL $$;

  /*
   * Deletes up to p_limit offers of every brand that ended at or before p_before, oldest first; how
   * many. Rows another node is deleting at the same time are skipped, not waited for.
   */
  CREATE FUNCTION parley_prune_ended_offers(p_before bigint, p_limit integer) RETURNS integer
    LANGUAGE sql VOLATILE ${DEFINER}
    AS $$
      WITH oldest AS (
        SELECT brand_id, conv_id, offered_at, agent_id FROM public.routing_offers
        WHERE outcome IS NOT NULL AND ended_at <= p_before
        ORDER BY ended_at LIMIT greatest(p_limit, 0)
        FOR UPDATE SKIP LOCKED
      ), gone AS (
        DELETE FROM public.routing_offers r USING oldest o
        WHERE (r.brand_id, r.conv_id, r.offered_at, r.agent_id) = (o.brand_id, o.conv_id, o.offered_at, o.agent_id)
        RETURNING 1
      )
      SELECT count(*)::integer FROM gone
    $$;

  /* Brands with an open live chat (the inactivity sweep visits only these). */
  CREATE FUNCTION parley_brands_with_open_chats() RETURNS SETOF text
    LANGUAGE sql STABLE ${DEFINER}
    AS $$ SELECT DISTINCT brand_id FROM public.conversations WHERE status = 'open' AND origin = 'chat' $$;

  /* Uploads of every brand never sent, created at or before p_before, oldest first, at most p_limit. */
  CREATE FUNCTION parley_unsent_attachment_ids(p_before bigint, p_limit integer) RETURNS TABLE (brand_id text, attachment_id text)
    LANGUAGE sql STABLE ${DEFINER}
    AS $$
      SELECT a.brand_id, a.attachment_id FROM public.attachments a WHERE a.conv_id IS NULL AND a.created_at <= p_before
      ORDER BY a.created_at, a.id LIMIT greatest(p_limit, 0)
    $$;

  ${AGENTS_DAY_FUNCTIONS.map((f) => `REVOKE ALL ON FUNCTION ${f} FROM PUBLIC;`).join('\n  ')}
`
