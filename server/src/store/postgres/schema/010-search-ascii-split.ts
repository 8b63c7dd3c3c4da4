// 10: the words of ASCII text split without a regular expression when its separators allow.
//
// After migration 9 the largest part of building an ASCII message's tsvector was the split itself:
// regexp_split_to_array pays about a microsecond for every match, so a 200-byte message of ~40
// words cost more there than lower-casing, the tsvector and everything else together. Here the
// separators a chat message usually holds are first turned into spaces with replace() (a plain
// scan of the text, which returns it unchanged when the character is absent), and when only spaces
// then separate the words, string_to_array splits them. The words are the same: every replaced
// character is one of migration 9's separators (anything but a letter, a digit, ^ and `), so the
// runs of word characters are unchanged, and text that still holds another separator (a control
// character, say) takes migration 9's split. Checked against the full folding for every pair of
// ASCII characters and random text (test/services/postgres/transcript-search.test.ts).
// PL/pgSQL keeps the folded text in a variable (an SQL function would fold it twice to test and
// split it); it is never inlined, so it can be STRICT. Stored vectors are unchanged.

/** Separators common in chat text, replaced first: , . ? ! ' " : ; - ( ) / and newline. */
const COMMON = [44, 46, 63, 33, 39, 34, 58, 59, 45, 40, 41, 47, 10]

/** The other ASCII separators outside the control characters: # $ % & * + < = > @ [ \ ] _ { | } ~, tab and carriage return. */
const OTHER = [35, 36, 37, 38, 42, 43, 60, 61, 62, 64, 91, 92, 93, 95, 123, 124, 125, 126, 9, 13]

/** `expr` with each of `codes` replaced by a space (chr() of a constant is folded when the function is planned). */
const spaced = (expr: string, codes: readonly number[]): string => codes.reduce((e, c) => `replace(${e}, chr(${c}), ' ')`, expr)

/** A character left that is neither a word character nor a space. */
const NOT_SPLIT = "'[^ a-z0-9^`]'"

export const SEARCH_ASCII_SPLIT = `
  CREATE OR REPLACE FUNCTION parley_search_vector(t text) RETURNS tsvector
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
    DECLARE s text COLLATE "C";
    BEGIN
      IF octet_length(t) > 2046 OR octet_length(t) <> char_length(t) THEN
        RETURN array_to_tsvector(public.parley_search_words(t));
      END IF;
      s := ${spaced('lower(t COLLATE "C")', COMMON)};
      IF s ~ ${NOT_SPLIT} THEN s := ${spaced('s', OTHER)}; END IF;
      IF s ~ ${NOT_SPLIT} THEN RETURN array_to_tsvector(array_remove(regexp_split_to_array(s, '[^a-z0-9^\`]+'), '')); END IF;
      RETURN array_to_tsvector(array_remove(string_to_array(s, ' '), ''));
    END $$;
`
