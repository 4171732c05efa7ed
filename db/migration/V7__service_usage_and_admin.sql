-- What the platform's later endpoints need: calls by telephony service, LLM/TTS/STT usage summed
-- per account and assistant, and an operator's key that reads across accounts.
--
-- The daily rollups gain the service as a dimension (numbers and services go together, so the
-- rows barely grow) and the usage, cost and billable minutes as measures, so that a year of any
-- of them is a read of the rollups, not of every call's usage jsonb. Beside them, call_totals
-- keeps the same measures per account only, per UTC day and per quarter hour: the operator's view
-- across accounts and the totals of one account read a few hundred rows a year instead of the
-- rollups of every assistant, and the edges of a range read quarter hours instead of raw calls.
-- The list of measures is written once (call_rollups_measures); the trigger, call_rollups_verify
-- and call_rollups_rebuild all build their SQL from it.

ALTER TABLE api_keys DROP CONSTRAINT api_keys_scopes_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_scopes_check
    CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['read', 'ingest', 'admin']::text[]);
COMMENT ON COLUMN api_keys.scopes IS
    'What the key may do: read (the analytics and call-log endpoints of its account), ingest (writing calls), admin (the operator''s analytics across every account, /admin/analytics).';


CREATE FUNCTION usage_number(usage jsonb, key text) RETURNS numeric
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE WHEN jsonb_typeof(usage -> key) = 'number' THEN (usage ->> key)::numeric ELSE 0 END;

COMMENT ON FUNCTION usage_number(jsonb, text) IS
    'A number of a call''s usage object, such as usage_number(usage, ''llm_total_tokens''): 0 when the call has no usage, the key is absent or its value is not a number.';

CREATE FUNCTION call_service_label(call_service text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN coalesce(nullif(btrim(call_service), ''), 'unknown');

COMMENT ON FUNCTION call_service_label(text) IS
    'The service a call counts under in /analytics/calls/by-service: its call_service, trimmed, or unknown when it has none.';


-- One row per measure of call_rollups: its column and what one call adds to it (an expression
-- over a row of calls). Adding a measure is a row here and a column in call_rollups.
CREATE FUNCTION call_rollups_measures() RETURNS TABLE (measure text, per_call text)
    LANGUAGE sql IMMUTABLE
AS
$$
    VALUES ('calls',                         '1'),
           ('minutes',                       'coalesce(call_duration_minutes, 0)'),
           ('cost',                          'coalesce(call_cost, 0)'),
           ('billable_minutes',              'coalesce(billable_duration_minutes, 0)'),
           ('usage_calls',                   '(usage IS NOT NULL)::int'),
           ('usage_minutes',                 'CASE WHEN usage IS NOT NULL THEN coalesce(call_duration_minutes, 0) ELSE 0 END'),
           ('llm_input_audio_tokens',        'usage_number(usage, ''llm_input_audio_tokens'')'),
           ('llm_input_text_tokens',         'usage_number(usage, ''llm_input_text_tokens'')'),
           ('llm_input_cached_audio_tokens', 'usage_number(usage, ''llm_input_cached_audio_tokens'')'),
           ('llm_input_cached_text_tokens',  'usage_number(usage, ''llm_input_cached_text_tokens'')'),
           ('llm_output_audio_tokens',       'usage_number(usage, ''llm_output_audio_tokens'')'),
           ('llm_output_text_tokens',        'usage_number(usage, ''llm_output_text_tokens'')'),
           ('llm_total_tokens',              'usage_number(usage, ''llm_total_tokens'')'),
           ('tts_characters',                'usage_number(usage, ''tts_characters_count'')'),
           ('tts_audio_seconds',             'usage_number(usage, ''tts_audio_duration'')'),
           ('stt_audio_seconds',             'usage_number(usage, ''stt_audio_duration'')')
$$;

COMMENT ON FUNCTION call_rollups_measures() IS
    'The measures of call_rollups and what one call adds to each: the one list the rollup trigger, call_rollups_verify and call_rollups_rebuild are built from.';

-- The rows one call adds to the rollups (sign 1) or takes away from them (sign -1), read from
-- source (calls, or a trigger's transition table): the text of a SELECT.
CREATE FUNCTION call_rollups_changes(source text, sign integer) RETURNS text
    LANGUAGE sql STABLE
    SET search_path = "${flyway:defaultSchema}", pg_temp
AS
$$
    SELECT format('SELECT account_id, (started_at AT TIME ZONE ''UTC'')::date AS day, assistant_id, phone_bucket, '
                  || 'call_service_label(call_service) AS service, '
                  || 'date_bin(''15 minutes'', started_at, timestamptz ''2000-01-01 00:00:00+00'') AS quarter, %s FROM %s',
                  string_agg(format('%s * (%s) AS %I', sign, m.per_call, m.measure), ', '), source)
    FROM call_rollups_measures() m
$$;

COMMENT ON FUNCTION call_rollups_changes(text, integer) IS
    'The SELECT (as text) of what the calls of a table add to call_rollups and call_totals (sign 1) or take from them (sign -1), one row per call.';


ALTER TABLE call_rollups
    ADD COLUMN service                       text    NOT NULL DEFAULT 'unknown',
    ADD COLUMN cost                          numeric NOT NULL DEFAULT 0,
    ADD COLUMN billable_minutes              bigint  NOT NULL DEFAULT 0,
    ADD COLUMN usage_calls                   bigint  NOT NULL DEFAULT 0,
    ADD COLUMN usage_minutes                 numeric NOT NULL DEFAULT 0,
    ADD COLUMN llm_input_audio_tokens        numeric NOT NULL DEFAULT 0,
    ADD COLUMN llm_input_text_tokens         numeric NOT NULL DEFAULT 0,
    ADD COLUMN llm_input_cached_audio_tokens numeric NOT NULL DEFAULT 0,
    ADD COLUMN llm_input_cached_text_tokens  numeric NOT NULL DEFAULT 0,
    ADD COLUMN llm_output_audio_tokens       numeric NOT NULL DEFAULT 0,
    ADD COLUMN llm_output_text_tokens        numeric NOT NULL DEFAULT 0,
    ADD COLUMN llm_total_tokens              numeric NOT NULL DEFAULT 0,
    ADD COLUMN tts_characters                numeric NOT NULL DEFAULT 0,
    ADD COLUMN tts_audio_seconds             numeric NOT NULL DEFAULT 0,
    ADD COLUMN stt_audio_seconds             numeric NOT NULL DEFAULT 0;

ALTER TABLE call_rollups DROP CONSTRAINT call_rollups_pkey;
ALTER TABLE call_rollups ADD PRIMARY KEY (account_id, day, assistant_id, phone_bucket, service);

-- The covering indexes of V3 and V4, with the service: by-service reads them as by-phone-number does.
DROP INDEX call_rollups_account_assistant_day_idx;
CREATE INDEX call_rollups_account_assistant_day_idx ON call_rollups (account_id, assistant_id, day)
    INCLUDE (phone_bucket, service, calls, minutes);
DROP INDEX call_rollups_account_day_idx;
CREATE INDEX call_rollups_account_day_idx ON call_rollups (account_id, day)
    INCLUDE (assistant_id, phone_bucket, service, calls, minutes);

COMMENT ON TABLE call_rollups IS
    'Calls, minutes, cost and usage per account, UTC day, assistant, phone bucket and service, maintained from calls by triggers in the same transaction as every write. Sum these for whole days; a row may hold zeros after calls moved away.';
COMMENT ON COLUMN call_rollups.service IS 'The calls'' service (call_service_label(calls.call_service)): the call_service, or unknown.';
COMMENT ON COLUMN call_rollups.cost IS 'Exact sum of their call_cost (a call without one adds 0).';
COMMENT ON COLUMN call_rollups.billable_minutes IS 'Sum of their billable_duration_minutes (a call without them adds 0).';
COMMENT ON COLUMN call_rollups.usage_calls IS 'How many of the calls carry a usage object: the usage records the token endpoints count.';
COMMENT ON COLUMN call_rollups.usage_minutes IS 'Exact sum of the minutes of the calls that carry usage.';
COMMENT ON COLUMN call_rollups.llm_input_audio_tokens IS 'Sum of usage.llm_input_audio_tokens (absent counts 0).';
COMMENT ON COLUMN call_rollups.llm_input_text_tokens IS 'Sum of usage.llm_input_text_tokens.';
COMMENT ON COLUMN call_rollups.llm_input_cached_audio_tokens IS 'Sum of usage.llm_input_cached_audio_tokens.';
COMMENT ON COLUMN call_rollups.llm_input_cached_text_tokens IS 'Sum of usage.llm_input_cached_text_tokens.';
COMMENT ON COLUMN call_rollups.llm_output_audio_tokens IS 'Sum of usage.llm_output_audio_tokens.';
COMMENT ON COLUMN call_rollups.llm_output_text_tokens IS 'Sum of usage.llm_output_text_tokens.';
COMMENT ON COLUMN call_rollups.llm_total_tokens IS 'Sum of usage.llm_total_tokens.';
COMMENT ON COLUMN call_rollups.tts_characters IS 'Sum of usage.tts_characters_count.';
COMMENT ON COLUMN call_rollups.tts_audio_seconds IS 'Sum of usage.tts_audio_duration, in seconds.';
COMMENT ON COLUMN call_rollups.stt_audio_seconds IS 'Sum of usage.stt_audio_duration, in seconds.';


-- The same measures per account, at two levels: 'day' (UTC days) and 'quarter' (quarter hours,
-- aligned on UTC midnight). A row per account and period would be one that every write of the
-- account updates, and holds locked until it commits (an import, for minutes): here writes only
-- append rows, each the change one statement made, and call_totals_fold() later replaces the
-- rows of a period by their sum. The sum of a period's rows is exact in every snapshot.
CREATE TABLE call_totals (
    account_id                    uuid        NOT NULL,
    level                         text        NOT NULL CHECK (level IN ('day', 'quarter')),
    period_start                  timestamptz NOT NULL,
    folded                        boolean     NOT NULL DEFAULT false,
    calls                         bigint      NOT NULL DEFAULT 0,
    minutes                       numeric     NOT NULL DEFAULT 0,
    cost                          numeric     NOT NULL DEFAULT 0,
    billable_minutes              bigint      NOT NULL DEFAULT 0,
    usage_calls                   bigint      NOT NULL DEFAULT 0,
    usage_minutes                 numeric     NOT NULL DEFAULT 0,
    llm_input_audio_tokens        numeric     NOT NULL DEFAULT 0,
    llm_input_text_tokens         numeric     NOT NULL DEFAULT 0,
    llm_input_cached_audio_tokens numeric     NOT NULL DEFAULT 0,
    llm_input_cached_text_tokens  numeric     NOT NULL DEFAULT 0,
    llm_output_audio_tokens       numeric     NOT NULL DEFAULT 0,
    llm_output_text_tokens        numeric     NOT NULL DEFAULT 0,
    llm_total_tokens              numeric     NOT NULL DEFAULT 0,
    tts_characters                numeric     NOT NULL DEFAULT 0,
    tts_audio_seconds             numeric     NOT NULL DEFAULT 0,
    stt_audio_seconds             numeric     NOT NULL DEFAULT 0
);

CREATE INDEX call_totals_account_level_period_idx ON call_totals (account_id, level, period_start)
    INCLUDE (calls, minutes);
-- What call_totals_fold() has left to do.
CREATE INDEX call_totals_unfolded_idx ON call_totals (account_id, level, period_start) WHERE NOT folded;

REVOKE ALL ON call_totals FROM PUBLIC;
ALTER TABLE call_totals SET (vacuum_truncate = false);

COMMENT ON TABLE call_totals IS
    'Calls, minutes, cost and usage per account and UTC day (level day) or quarter hour (level quarter), kept exact by the triggers on calls in the same transaction as every write. A period may have several rows (one per write, until call_totals_fold() sums them): always sum them.';
COMMENT ON COLUMN call_totals.account_id IS 'The account.';
COMMENT ON COLUMN call_totals.level IS 'day: period_start is a UTC midnight and the period a UTC day; quarter: a quarter hour from period_start.';
COMMENT ON COLUMN call_totals.period_start IS 'When the period starts.';
COMMENT ON COLUMN call_totals.folded IS 'True for a row call_totals_fold() left (the sum of earlier rows); false for the change of one write.';
COMMENT ON COLUMN call_totals.calls IS 'How many calls started in the period (this row''s share).';
COMMENT ON COLUMN call_totals.minutes IS 'Exact sum of their call_duration_minutes (a call without one adds 0).';
COMMENT ON COLUMN call_totals.cost IS 'Exact sum of their call_cost.';
COMMENT ON COLUMN call_totals.billable_minutes IS 'Sum of their billable_duration_minutes.';
COMMENT ON COLUMN call_totals.usage_calls IS 'How many of the calls carry a usage object.';
COMMENT ON COLUMN call_totals.usage_minutes IS 'Exact sum of the minutes of the calls that carry usage.';
COMMENT ON COLUMN call_totals.llm_input_audio_tokens IS 'Sum of usage.llm_input_audio_tokens.';
COMMENT ON COLUMN call_totals.llm_input_text_tokens IS 'Sum of usage.llm_input_text_tokens.';
COMMENT ON COLUMN call_totals.llm_input_cached_audio_tokens IS 'Sum of usage.llm_input_cached_audio_tokens.';
COMMENT ON COLUMN call_totals.llm_input_cached_text_tokens IS 'Sum of usage.llm_input_cached_text_tokens.';
COMMENT ON COLUMN call_totals.llm_output_audio_tokens IS 'Sum of usage.llm_output_audio_tokens.';
COMMENT ON COLUMN call_totals.llm_output_text_tokens IS 'Sum of usage.llm_output_text_tokens.';
COMMENT ON COLUMN call_totals.llm_total_tokens IS 'Sum of usage.llm_total_tokens.';
COMMENT ON COLUMN call_totals.tts_characters IS 'Sum of usage.tts_characters_count.';
COMMENT ON COLUMN call_totals.tts_audio_seconds IS 'Sum of usage.tts_audio_duration, in seconds.';
COMMENT ON COLUMN call_totals.stt_audio_seconds IS 'Sum of usage.stt_audio_duration, in seconds.';


-- The trigger of V3, built from the list of measures. Its call_rollups rows still go in key
-- order, so that concurrent writers lock rollups in one order; its call_totals rows lock nothing.
CREATE OR REPLACE FUNCTION call_rollups_follow_calls() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = "${flyway:defaultSchema}", pg_temp
AS
$$
DECLARE
    source  text;
    columns text;
    sums    text;
    changed text;
    applied text;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE call_rollups, call_totals;
        RETURN NULL;
    END IF;
    -- Each trigger has only the transition tables of its event: +1 for every row version
    -- written, -1 for every one replaced or deleted.
    source := CASE TG_OP
                  WHEN 'INSERT' THEN call_rollups_changes('new_calls', 1)
                  WHEN 'UPDATE' THEN call_rollups_changes('new_calls', 1) || ' UNION ALL ' || call_rollups_changes('old_calls', -1)
                  ELSE call_rollups_changes('old_calls', -1)
              END;
    SELECT string_agg(format('%I', measure), ', '),
           string_agg(format('sum(%1$I) AS %1$I', measure), ', '),
           string_agg(format('sum(%I) <> 0', measure), ' OR '),
           string_agg(format('%1$I = r.%1$I + excluded.%1$I', measure), ', ')
    INTO columns, sums, changed, applied
    FROM call_rollups_measures();
    -- One pass over the changes for all three: the rollup rows (upserted, in key order), the day
    -- and quarter-hour totals (appended).
    EXECUTE format(
        'WITH sums AS MATERIALIZED (
             SELECT grouping(assistant_id) AS totals, account_id, day, quarter, assistant_id, phone_bucket, service, %2$s
             FROM (%3$s) AS changes
             GROUP BY GROUPING SETS ((account_id, day, assistant_id, phone_bucket, service), (account_id, day), (account_id, quarter))
             HAVING %4$s
         ), rollups AS (
             INSERT INTO call_rollups AS r (account_id, day, assistant_id, phone_bucket, service, %1$s)
             SELECT account_id, day, assistant_id, phone_bucket, service, %1$s FROM sums WHERE totals = 0
             ORDER BY account_id, day, assistant_id, phone_bucket, service
             ON CONFLICT (account_id, day, assistant_id, phone_bucket, service) DO UPDATE SET %5$s
         )
         INSERT INTO call_totals (account_id, level, period_start, %1$s)
         SELECT account_id, CASE WHEN quarter IS NULL THEN ''day'' ELSE ''quarter'' END,
                coalesce(quarter, day::timestamp AT TIME ZONE ''UTC''), %1$s
         FROM sums WHERE totals = 1',
        columns, sums, source, changed, applied);
    RETURN NULL;
END
$$;


-- Sums the rows of the periods that writes have added to since the last fold (at most
-- max_periods of them) into one row each, in one statement: a snapshot sees either the rows or
-- their sum. Writers only append, so they never wait for it; two folds at once skip each other.
CREATE FUNCTION call_totals_fold(max_periods integer DEFAULT 10000) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = "${flyway:defaultSchema}", pg_temp
AS
$$
DECLARE
    columns text;
    sums    text;
    nonzero text;
    folded  bigint;
BEGIN
    IF NOT pg_try_advisory_xact_lock(hashtext('call_totals_fold')) THEN
        RETURN 0;
    END IF;
    SELECT string_agg(format('%I', measure), ', '), string_agg(format('sum(%I)', measure), ', '),
           string_agg(format('sum(%I) <> 0', measure), ' OR ')
    INTO columns, sums, nonzero
    FROM call_rollups_measures();
    EXECUTE format(
        'WITH periods AS (
             SELECT DISTINCT account_id, level, period_start FROM call_totals WHERE NOT folded LIMIT $1
         ), moved AS (
             DELETE FROM call_totals t USING periods p
             WHERE t.account_id = p.account_id AND t.level = p.level AND t.period_start = p.period_start
             RETURNING t.*
         ), summed AS (
             INSERT INTO call_totals (account_id, level, period_start, folded, %1$s)
             SELECT account_id, level, period_start, true, %2$s FROM moved
             GROUP BY account_id, level, period_start HAVING %3$s
         )
         SELECT count(*) FROM periods',
        columns, sums, nonzero)
    INTO folded
    USING max_periods;
    RETURN folded;
END
$$;

COMMENT ON FUNCTION call_totals_fold(integer) IS
    'Replaces the rows of each period of call_totals that writes added to (at most max_periods) by their sum; returns the periods folded. The server runs it every few seconds; the sums never change.';

REVOKE ALL ON FUNCTION call_totals_fold(integer) FROM PUBLIC;


-- Verify and rebuild of V5, over every measure and call_totals too. Verify now says which
-- rollup row and which measure differ.
DROP FUNCTION call_rollups_verify(uuid);

CREATE FUNCTION call_rollups_verify(only_account uuid DEFAULT NULL)
    RETURNS TABLE (account_id   uuid,
                   rollup       text,
                   period_start timestamptz,
                   assistant_id uuid,
                   phone_bucket text,
                   service      text,
                   measure      text,
                   rollup_value numeric,
                   actual_value numeric)
    LANGUAGE plpgsql STABLE
    SET search_path = "${flyway:defaultSchema}", pg_temp
AS
$$
DECLARE
    sums  text;
    pairs text;
BEGIN
    SELECT string_agg(format('sum(%1$I) AS %1$I', m.measure), ', '),
           string_agg(format('(%1$L, r.%1$I::numeric, a.%1$I::numeric)', m.measure), ', ')
    INTO sums, pairs
    FROM call_rollups_measures() m;
    -- call_totals rows have no assistant, bucket or service: the nil UUID and '' stand for none
    -- in the join (a FULL JOIN needs plain equalities), null in the answer.
    RETURN QUERY EXECUTE format(
        'WITH changes AS (
             %2$s WHERE $1 IS NULL OR account_id = $1
         ), actual AS (
             SELECT ''call_rollups'' AS rollup, account_id, day::timestamp AT TIME ZONE ''UTC'' AS period_start,
                    assistant_id, phone_bucket, service, %1$s
             FROM changes GROUP BY account_id, day, assistant_id, phone_bucket, service
             UNION ALL
             SELECT ''call_totals day'', account_id, day::timestamp AT TIME ZONE ''UTC'', $2, '''', '''', %1$s
             FROM changes GROUP BY account_id, day
             UNION ALL
             SELECT ''call_totals quarter'', account_id, quarter, $2, '''', '''', %1$s
             FROM changes GROUP BY account_id, quarter
         ), rolled AS (
             SELECT ''call_rollups'' AS rollup, account_id, day::timestamp AT TIME ZONE ''UTC'' AS period_start,
                    assistant_id, phone_bucket, service, %1$s
             FROM call_rollups WHERE $1 IS NULL OR account_id = $1
             GROUP BY account_id, day, assistant_id, phone_bucket, service
             UNION ALL
             SELECT ''call_totals '' || level, account_id, period_start, $2, '''', '''', %1$s
             FROM call_totals WHERE $1 IS NULL OR account_id = $1
             GROUP BY account_id, level, period_start
         )
         SELECT coalesce(a.account_id, r.account_id), coalesce(a.rollup, r.rollup), coalesce(a.period_start, r.period_start),
                nullif(coalesce(a.assistant_id, r.assistant_id), $2), nullif(coalesce(a.phone_bucket, r.phone_bucket), ''''),
                nullif(coalesce(a.service, r.service), ''''), m.measure, coalesce(m.rollup_value, 0), coalesce(m.actual_value, 0)
         FROM actual a
         FULL JOIN rolled r
                ON r.rollup = a.rollup AND r.account_id = a.account_id AND r.period_start = a.period_start
               AND r.assistant_id = a.assistant_id AND r.phone_bucket = a.phone_bucket AND r.service = a.service
         CROSS JOIN LATERAL (VALUES %3$s) AS m (measure, rollup_value, actual_value)
         WHERE coalesce(m.rollup_value, 0) <> coalesce(m.actual_value, 0)
         ORDER BY 1, 2, 3, 4, 5, 6, 7',
        sums, call_rollups_changes('calls', 1), pairs)
    USING only_account, '00000000-0000-0000-0000-000000000000'::uuid;
END
$$;

COMMENT ON FUNCTION call_rollups_verify(uuid) IS
    'Every measure of every row of call_rollups (account, UTC day, assistant, phone bucket, service) and of call_totals (account, day or quarter hour) that differs from the raw calls, of one account or of all: no rows means both are exact.';

CREATE OR REPLACE FUNCTION call_rollups_rebuild(only_account uuid DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = "${flyway:defaultSchema}", pg_temp
AS
$$
DECLARE
    columns text;
    sums    text;
    changes text := call_rollups_changes('calls', 1) || ' WHERE $1 IS NULL OR account_id = $1';
    written bigint;
BEGIN
    -- Writers of calls wait until this transaction ends (reads go on), so that no trigger adds a
    -- change to a rollup between its deletion and its recomputation.
    LOCK TABLE calls IN SHARE MODE;
    DELETE FROM call_rollups r WHERE only_account IS NULL OR r.account_id = only_account;
    DELETE FROM call_totals t WHERE only_account IS NULL OR t.account_id = only_account;
    SELECT string_agg(format('%I', measure), ', '), string_agg(format('sum(%I)', measure), ', ')
    INTO columns, sums
    FROM call_rollups_measures();
    EXECUTE format(
        'INSERT INTO call_rollups (account_id, day, assistant_id, phone_bucket, service, %1$s)
         SELECT account_id, day, assistant_id, phone_bucket, service, %2$s
         FROM (%3$s) AS changes
         GROUP BY 1, 2, 3, 4, 5
         ORDER BY 1, 2, 3, 4, 5',
        columns, sums, changes)
    USING only_account;
    GET DIAGNOSTICS written = ROW_COUNT;
    EXECUTE format(
        'INSERT INTO call_totals (account_id, level, period_start, folded, %1$s)
         SELECT account_id, ''day'', day::timestamp AT TIME ZONE ''UTC'', true, %2$s FROM (%3$s) AS changes GROUP BY account_id, day
         UNION ALL
         SELECT account_id, ''quarter'', quarter, true, %2$s FROM (%3$s) AS changes GROUP BY account_id, quarter',
        columns, sums, changes)
    USING only_account;
    RETURN written;
END
$$;

COMMENT ON FUNCTION call_rollups_rebuild(uuid) IS
    'Recomputes call_rollups and call_totals from the raw calls, of one account or of all, in the caller''s transaction; writes to calls wait meanwhile. Returns the call_rollups rows written.';

REVOKE ALL ON FUNCTION call_rollups_verify(uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION call_rollups_rebuild(uuid) FROM PUBLIC;

-- The rollups and totals of the calls already stored, by the new key and with every measure.
SELECT call_rollups_rebuild();


-- reporting.daily with the new dimension and measures (appended: a view keeps its columns' order).
CREATE OR REPLACE VIEW reporting.daily WITH (security_barrier) AS
SELECT r.account_id,
       r.day,
       to_char(r.day, 'IYYY-"W"IW') AS iso_week,
       to_char(r.day, 'YYYY-MM')    AS month,
       r.assistant_id,
       a.assistant_name,
       r.phone_bucket,
       r.calls,
       r.minutes,
       r.service,
       r.cost,
       r.billable_minutes,
       r.usage_calls,
       r.usage_minutes,
       r.llm_input_audio_tokens,
       r.llm_input_text_tokens,
       r.llm_input_cached_audio_tokens,
       r.llm_input_cached_text_tokens,
       r.llm_output_audio_tokens,
       r.llm_output_text_tokens,
       r.llm_total_tokens,
       r.tts_characters,
       r.tts_audio_seconds,
       r.stt_audio_seconds
FROM "${flyway:defaultSchema}".call_rollups r
LEFT JOIN "${flyway:defaultSchema}".assistants a
       ON a.account_id = r.account_id AND a.assistant_id = r.assistant_id
WHERE r.calls > 0
  AND r.account_id = ANY (ARRAY(SELECT s.account_id FROM "${flyway:defaultSchema}".reader_accounts s));

COMMENT ON VIEW reporting.daily IS
    'Calls, minutes, cost and usage per UTC day, assistant, phone bucket and service, kept exact in the same transaction as every write: sum these rows for anything over whole days (a year is thousands of rows, not millions of calls).';
COMMENT ON COLUMN reporting.daily.service IS 'The calls'' telephony service (call_service, trimmed), or unknown: the bucket of /analytics/calls/by-service.';
COMMENT ON COLUMN reporting.daily.cost IS 'Exact sum of their cost (a call without one adds 0).';
COMMENT ON COLUMN reporting.daily.billable_minutes IS 'Sum of their billable minutes.';
COMMENT ON COLUMN reporting.daily.usage_calls IS 'How many of the calls carry usage (the records the token endpoints count).';
COMMENT ON COLUMN reporting.daily.usage_minutes IS 'Exact sum of the minutes of the calls that carry usage.';
COMMENT ON COLUMN reporting.daily.llm_input_audio_tokens IS 'Sum of usage.llm_input_audio_tokens.';
COMMENT ON COLUMN reporting.daily.llm_input_text_tokens IS 'Sum of usage.llm_input_text_tokens.';
COMMENT ON COLUMN reporting.daily.llm_input_cached_audio_tokens IS 'Sum of usage.llm_input_cached_audio_tokens.';
COMMENT ON COLUMN reporting.daily.llm_input_cached_text_tokens IS 'Sum of usage.llm_input_cached_text_tokens.';
COMMENT ON COLUMN reporting.daily.llm_output_audio_tokens IS 'Sum of usage.llm_output_audio_tokens.';
COMMENT ON COLUMN reporting.daily.llm_output_text_tokens IS 'Sum of usage.llm_output_text_tokens.';
COMMENT ON COLUMN reporting.daily.llm_total_tokens IS 'Sum of usage.llm_total_tokens.';
COMMENT ON COLUMN reporting.daily.tts_characters IS 'Sum of usage.tts_characters_count.';
COMMENT ON COLUMN reporting.daily.tts_audio_seconds IS 'Sum of usage.tts_audio_duration, in seconds.';
COMMENT ON COLUMN reporting.daily.stt_audio_seconds IS 'Sum of usage.stt_audio_duration, in seconds.';
