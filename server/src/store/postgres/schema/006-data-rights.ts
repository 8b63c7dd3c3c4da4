import { brandOwned, CURRENT_BRAND, DEFINER } from './sql.js'

// 6: a visitor's data rights (issue 19), as SQLite's migration 16. A conversation whose content was
// erased keeps its header as a stub (erased_at); a legal hold exempts one from retention and
// erasure. Visitors carry their consent to behavioural tracking, and every change of it is kept
// (consent_events) until the visitor is erased. Erasure requests wait out their grace period here;
// the brand's retention settings are a document like the others.
//
// The e-mail a conversation's contact gave, and a verified customer's, are found through expression
// indexes on lower(...), not a stored generated column as SQLite's (a virtual one there): adding a
// stored column would rewrite the whole conversations table under an exclusive lock while the
// migration runs, and widen every row an append updates. Under the serving role's brand policy an
// expression of non-leakproof functions (->>, lower) is never an index condition, so the lookup is
// parley_visitors_by_email, run as the owner over the transaction's brand only, as transcript
// search is (003-listing.ts).
//
// The due erasure requests of every brand are a sweep across brands: a SECURITY DEFINER function in
// the pattern 002-tenancy.ts sets out, which claims them (a lease) and answers ids only.

/**
 * Columns (table.column) that hold what a person typed or gave, and the index expressions over them
 * (index.position): ANALYZE would copy sampled values of them into pg_statistic (most common values,
 * histogram bounds, a tsvector's most common words), where an erasure cannot reach them and VACUUM
 * FULL as the owner does not rewrite them. With a statistics target of 0 ANALYZE samples none; the
 * planner uses its defaults for them, which favour the indexes these columns are looked up by.
 */
const PERSONAL_COLUMNS = [
  'messages.text', 'messages.sender_name', 'messages.search', 'conversation_notes.text', 'attachments.name',
  'survey_responses.answers', 'survey_responses.consents', 'survey_responses.labels',
  'conversations.context', 'conversations.contact', 'visitors.context', 'customers.name', 'customers.email',
  // A scheduled request's selector may be an e-mail address.
  'erasure_requests.selector',
]
const PERSONAL_INDEX_EXPRESSIONS = ['conversations_by_contact_email.2', 'customers_by_email.2']

/** The functions this migration defines (for the REVOKE below and for tests). */
export const DATA_RIGHTS_FUNCTIONS = ['parley_claim_erasure_requests(bigint, integer, bigint)', 'parley_visitors_by_email(text)']

const TABLES = ['consent_events', 'erasure_requests']

export const DATA_RIGHTS = `
  -- first_agent_at: when an agent first wrote, kept by an erasure as it deletes the messages the
  -- report reads it from otherwise (reports.ts), so the first-response figures still add up.
  ALTER TABLE conversations ADD COLUMN erased_at bigint, ADD COLUMN legal_hold jsonb, ADD COLUMN first_agent_at bigint;
  CREATE INDEX conversations_by_contact_email ON conversations (brand_id, lower(contact ->> 'email')) WHERE contact IS NOT NULL;
  CREATE INDEX conversations_expiring ON conversations (brand_id, closed_at) WHERE status = 'closed' AND erased_at IS NULL;
  CREATE INDEX conversations_offline_expiring ON conversations (brand_id, created_at) WHERE origin = 'offline' AND erased_at IS NULL;
  CREATE INDEX customers_by_email ON customers (brand_id, lower(email)) WHERE email IS NOT NULL;

  ALTER TABLE visitors ADD COLUMN consent text CHECK (consent IN ('granted', 'denied'));
  -- id keeps the order events were recorded in, for two at the same millisecond (SQLite's rowid).
  CREATE TABLE consent_events (
    id bigint GENERATED ALWAYS AS IDENTITY,
    brand_id text NOT NULL REFERENCES brands (brand_id),
    visitor_id text NOT NULL,
    at bigint NOT NULL,
    state text NOT NULL CHECK (state IN ('granted', 'denied')),
    source text NOT NULL CHECK (source IN ('widget', 'api'))
  );
  CREATE INDEX consent_events_by_visitor ON consent_events (brand_id, visitor_id, at, id);

  ALTER TABLE brands ADD COLUMN privacy_config jsonb;

  CREATE TABLE erasure_requests (
    brand_id text NOT NULL REFERENCES brands (brand_id),
    request_id text NOT NULL,
    status text NOT NULL CHECK (status IN ('scheduled', 'cancelled', 'done')),
    selector_kind text NOT NULL CHECK (selector_kind IN ('visitorId', 'customerId', 'email')),
    selector jsonb,
    requested_at bigint NOT NULL,
    requested_by text NOT NULL,
    run_at bigint NOT NULL,
    cancelled_at bigint,
    receipt jsonb,
    -- Until when a node's sweep holds the due request (parley_claim_erasure_requests); it runs out on its own if the node dies.
    lease_until bigint,
    PRIMARY KEY (brand_id, request_id)
  );
  CREATE INDEX erasure_requests_due ON erasure_requests (run_at) WHERE status = 'scheduled';
  CREATE INDEX erasure_requests_by_requested ON erasure_requests (brand_id, requested_at);

  /*
   * Claims the scheduled erasure requests of every brand due at or before p_now that no lease holds
   * (or whose lease ran out by p_now), oldest first, at most p_limit: each is leased until
   * p_lease_until. SKIP LOCKED: a node claiming at the same moment passes over the rows this one is
   * taking rather than waiting and taking them again.
   */
  CREATE FUNCTION parley_claim_erasure_requests(p_now bigint, p_limit integer, p_lease_until bigint) RETURNS TABLE (brand_id text, request_id text)
    LANGUAGE sql VOLATILE ${DEFINER}
    AS $$
      WITH due AS (
        SELECT e.brand_id, e.request_id, e.run_at FROM public.erasure_requests e
        WHERE e.status = 'scheduled' AND e.run_at <= p_now AND (e.lease_until IS NULL OR e.lease_until <= p_now)
        ORDER BY e.run_at, e.brand_id COLLATE "C", e.request_id COLLATE "C" LIMIT greatest(p_limit, 0)
        FOR UPDATE SKIP LOCKED
      ), claimed AS (
        UPDATE public.erasure_requests e SET lease_until = p_lease_until FROM due
        WHERE e.brand_id = due.brand_id AND e.request_id = due.request_id
        RETURNING e.brand_id, e.request_id, e.run_at
      )
      SELECT c.brand_id, c.request_id FROM claimed c ORDER BY c.run_at, c.brand_id COLLATE "C", c.request_id COLLATE "C"
    $$;

  /*
   * The visitors of the transaction's brand (never an argument) whose conversation contact, or
   * verified customer record, carries this e-mail address (p_email in lower case).
   */
  CREATE FUNCTION parley_visitors_by_email(p_email text) RETURNS SETOF text
    LANGUAGE sql STABLE ${DEFINER}
    AS $$
      SELECT c.visitor_id FROM public.conversations c
        WHERE c.brand_id = ${CURRENT_BRAND} AND c.contact IS NOT NULL AND lower(c.contact ->> 'email') = p_email
      UNION SELECT k.visitor_id FROM public.customers k
        WHERE k.brand_id = ${CURRENT_BRAND} AND k.email IS NOT NULL AND lower(k.email) = p_email
    $$;

  ${PERSONAL_COLUMNS.map((c) => `ALTER TABLE ${c.split('.')[0]} ALTER COLUMN ${c.split('.')[1]} SET STATISTICS 0;`).join('\n  ')}
  ${PERSONAL_INDEX_EXPRESSIONS.map((c) => `ALTER INDEX ${c.split('.')[0]} ALTER COLUMN ${c.split('.')[1]} SET STATISTICS 0;`).join('\n  ')}

  ${DATA_RIGHTS_FUNCTIONS.map((f) => `REVOKE ALL ON FUNCTION ${f} FROM PUBLIC;`).join('\n  ')}
  ${TABLES.map(brandOwned).join('')}
`
