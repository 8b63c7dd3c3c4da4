import { brandOwned, DEFINER } from './sql.js'

// 7: signed webhooks (issue 19). A brand's endpoints keep their secrets as given: the relay signs
// with them, so they cannot be hashed (as identity secrets, 005-access.ts). webhook_deliveries is
// the outbox and the delivery log at once: a row per event per endpoint, with its body, attempts and
// when the next is due. Nodes claim due rows across brands with parley_claim_webhook_deliveries
// (FOR UPDATE SKIP LOCKED, then a lease), so two nodes never send one at once, and a node that dies
// mid-attempt leaves a lease that runs out. The function answers ids only, as every cross-brand
// function does: the claiming node reads the bodies in a transaction of each brand. seq orders an
// endpoint's log and is its cursor; conv_id finds a conversation's deliveries when it is erased
// (their bodies hold its masked text). ANALYZE samples neither a body nor a secret into
// pg_statistic, where no erasure or rotation would reach it (as 006-data-rights.ts's columns).

/** The functions this migration defines (for the REVOKE below and for tests). */
export const WEBHOOK_FUNCTIONS = ['parley_claim_webhook_deliveries(bigint, bigint, integer)', 'parley_prune_webhook_deliveries(bigint, integer)']

export const WEBHOOKS = `
  CREATE TABLE webhook_endpoints (
    brand_id text NOT NULL REFERENCES brands (brand_id),
    endpoint_id text NOT NULL,
    url text NOT NULL,
    events jsonb NOT NULL,
    description text NOT NULL,
    enabled boolean NOT NULL,
    secrets jsonb NOT NULL,
    created_at bigint NOT NULL,
    PRIMARY KEY (brand_id, endpoint_id)
  );

  CREATE TABLE webhook_deliveries (
    seq bigserial PRIMARY KEY,
    brand_id text NOT NULL,
    delivery_id text NOT NULL,
    endpoint_id text NOT NULL,
    event_id text NOT NULL,
    type text NOT NULL,
    conv_id text,
    payload text NOT NULL,
    status text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at bigint,
    lease_until bigint,
    last_status integer,
    last_error text,
    created_at bigint NOT NULL,
    delivered_at bigint,
    UNIQUE (brand_id, delivery_id),
    FOREIGN KEY (brand_id, endpoint_id) REFERENCES webhook_endpoints (brand_id, endpoint_id) ON DELETE CASCADE
  );
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';
  CREATE INDEX webhook_deliveries_by_endpoint ON webhook_deliveries (brand_id, endpoint_id, seq);
  CREATE INDEX webhook_deliveries_by_conv ON webhook_deliveries (brand_id, conv_id) WHERE conv_id IS NOT NULL;
  CREATE INDEX webhook_deliveries_finished ON webhook_deliveries (created_at) WHERE status <> 'pending';

  ALTER TABLE webhook_deliveries ALTER COLUMN payload SET STATISTICS 0;
  ALTER TABLE webhook_endpoints ALTER COLUMN secrets SET STATISTICS 0;

  /*
   * Leases up to p_limit pending deliveries of every brand due at or before p_now and not leased
   * past it, the longest due first, until p_lease_until; returns their brand and delivery ids. Rows
   * another node is claiming are skipped, not waited for.
   */
  CREATE FUNCTION parley_claim_webhook_deliveries(p_now bigint, p_lease_until bigint, p_limit integer)
    RETURNS TABLE (brand_id text, delivery_id text)
    LANGUAGE sql VOLATILE ${DEFINER}
    AS $$
      WITH due AS (
        SELECT d.seq FROM public.webhook_deliveries d
        WHERE d.status = 'pending' AND d.next_attempt_at <= p_now AND (d.lease_until IS NULL OR d.lease_until <= p_now)
        ORDER BY d.next_attempt_at LIMIT greatest(p_limit, 0) FOR UPDATE SKIP LOCKED
      )
      UPDATE public.webhook_deliveries w SET lease_until = p_lease_until FROM due WHERE w.seq = due.seq RETURNING w.brand_id, w.delivery_id
    $$;

  /* Deletes up to p_limit delivered or failed deliveries of every brand queued before p_before; how many. */
  CREATE FUNCTION parley_prune_webhook_deliveries(p_before bigint, p_limit integer) RETURNS integer
    LANGUAGE sql VOLATILE ${DEFINER}
    AS $$
      WITH old AS (
        SELECT d.seq FROM public.webhook_deliveries d WHERE d.status <> 'pending' AND d.created_at < p_before
        ORDER BY d.created_at LIMIT greatest(p_limit, 0) FOR UPDATE SKIP LOCKED
      ), gone AS (
        DELETE FROM public.webhook_deliveries w USING old o WHERE w.seq = o.seq RETURNING 1
      )
      SELECT count(*)::integer FROM gone
    $$;

  ${WEBHOOK_FUNCTIONS.map((f) => `REVOKE ALL ON FUNCTION ${f} FROM PUBLIC;`).join('\n  ')}
  ${['webhook_endpoints', 'webhook_deliveries'].map(brandOwned).join('')}
`
