-- Call search (GET /calls, GET /calls/export): finding a call by the words said in it.
--
-- Full-text search rather than trigrams: a user looks for words ("refund", "cancel my order"),
-- not for fragments of them, and a GIN index of words is a fraction of the size of one of
-- trigrams over the same text, and faster for a rare word. The 'simple' configuration lowercases
-- and splits into words without stemming or stop words: the transcripts are in English, Hindi
-- and the mix of both that callers in India speak, which an English stemmer would mangle, and a
-- search for "the" or "not" should find what was said.

-- A SQL function of one expression is inlined by the planner, so that
-- transcript_matches(text, 'refund') reads transcripts_words_idx like the expression it stands for.
CREATE FUNCTION transcript_matches(utterance text, query text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN to_tsvector('simple'::regconfig, utterance) @@ websearch_to_tsquery('simple'::regconfig, query);

COMMENT ON FUNCTION transcript_matches(text, text) IS
    'Whether an utterance says what a search asks for (q of GET /calls): every word, "a quoted phrase" in order, -word not in it, or either side of OR; case-insensitive, whole words.';

CREATE INDEX transcripts_words_idx ON transcripts USING gin (to_tsvector('simple'::regconfig, text));
