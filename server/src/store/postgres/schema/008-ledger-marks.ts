import { DEFINER } from './sql.js'

// 8: how much of each erasure ledger the database has had replayed (backup/ledger-replay-mark.ts),
// so a relay start replays only newer entries, and a database restored with pg_restore its own
// mark onwards. The marks belong to no brand: the serving role reaches them only through these
// functions (the table's row-level security lets the owner alone see rows).

/** The functions this migration defines (for the REVOKE below). */
const LEDGER_MARK_FUNCTIONS = ['parley_get_ledger_mark(text)', 'parley_set_ledger_mark(text, bigint, text)']

export const LEDGER_MARKS = `
  CREATE TABLE ledger_marks (
    ledger_id text PRIMARY KEY,
    bytes bigint NOT NULL,
    digest text NOT NULL
  );
  ALTER TABLE ledger_marks ENABLE ROW LEVEL SECURITY;
  ALTER TABLE ledger_marks FORCE ROW LEVEL SECURITY;
  CREATE POLICY ledger_marks_owner ON ledger_marks TO CURRENT_USER USING (true) WITH CHECK (true);

  CREATE FUNCTION parley_get_ledger_mark(p_ledger text) RETURNS TABLE (bytes bigint, digest text)
    LANGUAGE sql STABLE ${DEFINER}
    AS $$ SELECT m.bytes, m.digest FROM public.ledger_marks m WHERE m.ledger_id = p_ledger $$;

  CREATE FUNCTION parley_set_ledger_mark(p_ledger text, p_bytes bigint, p_digest text) RETURNS void
    LANGUAGE sql ${DEFINER}
    AS $$
      INSERT INTO public.ledger_marks (ledger_id, bytes, digest) VALUES (p_ledger, p_bytes, p_digest)
      ON CONFLICT (ledger_id) DO UPDATE SET bytes = excluded.bytes, digest = excluded.digest
    $$;

  ${LEDGER_MARK_FUNCTIONS.map((f) => `REVOKE ALL ON FUNCTION ${f} FROM PUBLIC;`).join('\n  ')}
`
