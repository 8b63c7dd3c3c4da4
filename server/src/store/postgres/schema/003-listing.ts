import { CURRENT_BRAND, DEFINER } from './sql.js'

// 3: transcript search, and an order for masking runs.
//
// Search matches what the SQLite store's transcript index does (sqlite/search.ts): a word is a run of
// letters, digits, emoji (with their skin tones, variation selectors and joiners) and other symbols;
// punctuation, spaces, control characters and the math and currency signs split words; case and
// diacritics are ignored (NFD, combining marks dropped, lower-cased with ICU's root locale, so the
// result does not depend on the database's locale or on the unaccent extension being installed).
// Every message carries its words as a generated tsvector column: an append, a redaction or a masking
// rewrite updates them in the same statement, so an old word is never found after its text changed.
// Lexemes are the words themselves (array_to_tsvector), not the 'simple' parser's tokens, which
// would drop emoji. A word longer than a lexeme may be (2 KB) is not indexed rather than failing the append.

/** The pure functions of transcript search: they run as the caller, read no table, and PUBLIC may run them. */
export const SEARCH_TEXT_FUNCTIONS = [
  'parley_search_fold(text)',
  'parley_search_words(text)',
  'parley_search_vector(text)',
  'parley_search_query(text[],boolean[])',
]

/** The brand's search, run as the owner (for the index) but over the transaction's brand only. */
export const SEARCH_FUNCTION = 'parley_search_conversations(tsquery)'

/** The characters between words: punctuation, spaces, controls, math and currency signs. */
const SEPARATORS = '[[:space:][:punct:][:cntrl:]+<=>|~$¢£¤¥€±×÷¬]+'

export const LISTING = `
  CREATE FUNCTION parley_search_fold(t text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT lower(regexp_replace(normalize(t, NFD), '[\\u0300-\\u036f\\u1ab0-\\u1aff\\u1dc0-\\u1dff]+', '', 'g') COLLATE "und-x-icu") $$;

  -- Split as an array (a set-returning split and array_agg cost several times as much per message).
  -- Folding at most triples a text's bytes (NFD), so only a text over a third of the lexeme limit can
  -- hold a word over it: only then are the words checked one by one.
  CREATE FUNCTION parley_search_words(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT CASE WHEN octet_length(t) <= 682
      THEN array_remove(regexp_split_to_array(public.parley_search_fold(t) COLLATE "und-x-icu", '${SEPARATORS}'), '')
      ELSE ARRAY(SELECT w FROM unnest(regexp_split_to_array(public.parley_search_fold(t) COLLATE "und-x-icu", '${SEPARATORS}')) AS w
        WHERE w <> '' AND octet_length(w) <= 2046) END $$;

  CREATE FUNCTION parley_search_vector(t text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT array_to_tsvector(public.parley_search_words(t)) $$;

  -- The tsquery for what a person typed, as terms (each split into words the way messages are; all
  -- must match) and whether each is a prefix (its last word then matches any word it begins).
  -- Null when no term holds a word: it matches nothing. Each lexeme is quoted, so no input is syntax.
  CREATE FUNCTION parley_search_query(terms text[], prefixes boolean[]) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT string_agg('''' || replace(replace(w.word, '\\', '\\\\'), '''', '''''') || ''''
        || CASE WHEN t.prefix AND w.n = cardinality(t.words) THEN ':*' ELSE '' END, ' & ')::tsquery
      FROM (SELECT public.parley_search_words(u.term) AS words, u.prefix FROM unnest(terms, prefixes) AS u (term, prefix)) t,
        unnest(t.words) WITH ORDINALITY AS w (word, n) $$;

  ALTER TABLE messages ADD COLUMN search tsvector GENERATED ALWAYS AS (public.parley_search_vector(text)) STORED;
  CREATE INDEX messages_search ON messages USING gin (search);

  -- The brand's conversations with a message matching the query: the brand is the transaction's
  -- (parley.brand_id), never an argument. SECURITY DEFINER because row-level security keeps the
  -- serving role's @@ (not leakproof) from being an index condition: under the brand policy the
  -- GIN index could not be used and every search would read all of the brand's messages.
  CREATE FUNCTION parley_search_conversations(query tsquery) RETURNS SETOF text
    LANGUAGE sql STABLE ${DEFINER} ROWS 100
    AS $$ SELECT DISTINCT m.conv_id FROM public.messages m
      WHERE m.brand_id = ${CURRENT_BRAND} AND m.search @@ query $$;
  REVOKE ALL ON FUNCTION ${SEARCH_FUNCTION} FROM PUBLIC;

  -- Masking runs in the order they were started (the newest unfinished one is resumed).
  ALTER TABLE masking_runs ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY UNIQUE;
`
