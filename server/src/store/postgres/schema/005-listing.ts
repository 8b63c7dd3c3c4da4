// 5: transcript search, and an order for masking runs.
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

/** The characters between words: punctuation, spaces, controls, math and currency signs. */
const SEPARATORS = '[[:space:][:punct:][:cntrl:]+<=>|~$¢£¤¥€±×÷¬]+'

export const LISTING = `
  CREATE FUNCTION parley_search_fold(t text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT lower(regexp_replace(normalize(t, NFD), '[\\u0300-\\u036f\\u1ab0-\\u1aff\\u1dc0-\\u1dff]+', '', 'g') COLLATE "und-x-icu") $$;

  CREATE FUNCTION parley_search_words(t text) RETURNS text[]
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT coalesce(array_agg(w), '{}') FROM regexp_split_to_table(public.parley_search_fold(t) COLLATE "und-x-icu", '${SEPARATORS}') AS w
      WHERE w <> '' AND octet_length(w) <= 2046 $$;

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

  -- Masking runs in the order they were started (the newest unfinished one is resumed).
  ALTER TABLE masking_runs ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY UNIQUE;
`
