// 9: the search words of plain ASCII text without the Unicode folding.
//
// Every append computes its message's tsvector (the generated `search` column, migration 3), and
// the folding there (NFD, dropping combining marks, ICU's lower-casing, a split on Unicode
// classes) was the largest part of the database's work per message. For text that is all ASCII
// (each character one byte) and short enough that no word can pass the lexeme limit, those steps
// change nothing but the case, and a word is a run of anything but the separators of migration 3, which
// in ASCII is every character other than a letter, a digit, ^ and ` (the two modifier symbols that
// are neither punctuation nor listed separators): lower-cased in the C collation and split there,
// it gives the same words as parley_search_words, checked character by character
// (test/services/postgres/transcript-search.test.ts). Other text takes parley_search_words as before.
// Not STRICT, so the planner can inline it into the column's expression (a NULL still gives NULL:
// parley_search_words is strict). Rows stored before keep their vectors, which are the same.

export const SEARCH_ASCII = `
  CREATE OR REPLACE FUNCTION parley_search_vector(t text) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT array_to_tsvector(CASE WHEN octet_length(t) <= 2046 AND octet_length(t) = char_length(t)
      THEN array_remove(regexp_split_to_array(lower(t COLLATE "C"), '[^a-z0-9^\`]+'), '')
      ELSE public.parley_search_words(t) END) $$;
`
