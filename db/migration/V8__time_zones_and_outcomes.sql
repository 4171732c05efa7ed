-- Analytics beyond the five documented endpoints: every account gets a default time zone (its
-- days, weeks and months, and its dashboard's today), a rollup of outcomes (status, type, end
-- reason) sits beside the rollups of numbers and services, and call_totals gains the totals of
-- all accounts together (account_id = the nil UUID), which the operator's dashboard reads.

ALTER TABLE accounts ADD COLUMN timezone text NOT NULL DEFAULT 'UTC' CHECK (btrim(timezone) <> '');

COMMENT ON COLUMN accounts.timezone IS
    'The IANA time zone (Asia/Kolkata, America/New_York, UTC) the analytics of the account are taken in when a request names none: days, ISO weeks and months, bare dates, and the dashboard''s today, this week and this month. Set with "accounts set-timezone".';


-- The outcome of a call as the by-status, by-type and by-end-reason answers count it.
CREATE FUNCTION call_type_label(call_type text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN coalesce(call_type, 'unknown');

COMMENT ON FUNCTION call_type_label(text) IS
    'The type a call counts under in /analytics/calls/by-type: outbound, inbound, web, or unknown when it has none.';

CREATE FUNCTION call_end_reason_label(call_end_reason text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN coalesce(nullif(btrim(call_end_reason), ''), 'unknown');

COMMENT ON FUNCTION call_end_reason_label(text) IS
    'The end reason a call counts under in /analytics/calls/by-end-reason: its call_end_reason, trimmed, or unknown when it has none.';


CREATE TABLE call_outcomes (
    account_id                    uuid    NOT NULL,
    day                           date    NOT NULL,
    assistant_id                  uuid    NOT NULL,
    call_status                   text    NOT NULL,
    call_type                     text    NOT NULL,
    end_reason                    text    NOT NULL,
    calls                         bigint  NOT NULL DEFAULT 0,
    minutes                       numeric NOT NULL DEFAULT 0,
    cost                          numeric NOT NULL DEFAULT 0,
    billable_minutes              bigint  NOT NULL DEFAULT 0,
    usage_calls                   bigint  NOT NULL DEFAULT 0,
    usage_minutes                 numeric NOT NULL DEFAULT 0,
    llm_input_audio_tokens        numeric NOT NULL DEFAULT 0,
    llm_input_text_tokens         numeric NOT NULL DEFAULT 0,
    llm_input_cached_audio_tokens numeric NOT NULL DEFAULT 0,
    llm_input_cached_text_tokens  numeric NOT NULL DEFAULT 0,
    llm_output_audio_tokens       numeric NOT NULL DEFAULT 0,
    llm_output_text_tokens        numeric NOT NULL DEFAULT 0,
    llm_total_tokens              numeric NOT NULL DEFAULT 0,
    tts_characters                numeric NOT NULL DEFAULT 0,
    tts_audio_seconds             numeric NOT NULL DEFAULT 0,
    stt_audio_seconds             numeric NOT NULL DEFAULT 0,
    PRIMARY KEY (account_id, day, assistant_id, call_status, call_type, end_reason)
);

CREATE INDEX call_outcomes_account_day_idx ON call_outcomes (account_id, day)
    INCLUDE (assistant_id, call_status, call_type, end_reason, calls, minutes, cost, billable_minutes);

REVOKE ALL ON call_outcomes FROM PUBLIC;
ALTER TABLE call_outcomes SET (vacuum_truncate = false);

COMMENT ON TABLE call_outcomes IS
    'Calls, minutes, cost and usage per account, UTC day, assistant, status, type and end reason, maintained from calls by triggers in the same transaction as every write (as call_rollups is): what the by-status, by-type and by-end-reason answers read for whole days.';
COMMENT ON COLUMN call_outcomes.account_id IS 'The account.';
COMMENT ON COLUMN call_outcomes.day IS 'The UTC day the calls started on.';
COMMENT ON COLUMN call_outcomes.assistant_id IS 'The assistant of the calls.';
COMMENT ON COLUMN call_outcomes.call_status IS 'The calls'' status (calls.call_status).';
COMMENT ON COLUMN call_outcomes.call_type IS 'The calls'' type (call_type_label(calls.call_type)): outbound, inbound, web or unknown.';
COMMENT ON COLUMN call_outcomes.end_reason IS 'Why the calls ended (call_end_reason_label(calls.call_end_reason)), or unknown.';
COMMENT ON COLUMN call_outcomes.calls IS 'How many calls.';
COMMENT ON COLUMN call_outcomes.minutes IS 'Exact sum of their call_duration_minutes (a call without one adds 0).';
COMMENT ON COLUMN call_outcomes.cost IS 'Exact sum of their call_cost.';
COMMENT ON COLUMN call_outcomes.billable_minutes IS 'Sum of their billable_duration_minutes.';
COMMENT ON COLUMN call_outcomes.usage_calls IS 'How many of the calls carry usage.';
COMMENT ON COLUMN call_outcomes.usage_minutes IS 'Exact sum of the minutes of the calls that carry usage.';
COMMENT ON COLUMN call_outcomes.llm_input_audio_tokens IS 'Sum of usage.llm_input_audio_tokens.';
COMMENT ON COLUMN call_outcomes.llm_input_text_tokens IS 'Sum of usage.llm_input_text_tokens.';
COMMENT ON COLUMN call_outcomes.llm_input_cached_audio_tokens IS 'Sum of usage.llm_input_cached_audio_tokens.';
COMMENT ON COLUMN call_outcomes.llm_input_cached_text_tokens IS 'Sum of usage.llm_input_cached_text_tokens.';
COMMENT ON COLUMN call_outcomes.llm_output_audio_tokens IS 'Sum of usage.llm_output_audio_tokens.';
COMMENT ON COLUMN call_outcomes.llm_output_text_tokens IS 'Sum of usage.llm_output_text_tokens.';
COMMENT ON COLUMN call_outcomes.llm_total_tokens IS 'Sum of usage.llm_total_tokens.';
COMMENT ON COLUMN call_outcomes.tts_characters IS 'Sum of usage.tts_characters_count.';
COMMENT ON COLUMN call_outcomes.tts_audio_seconds IS 'Sum of usage.tts_audio_duration, in seconds.';
COMMENT ON COLUMN call_outcomes.stt_audio_seconds IS 'Sum of usage.stt_audio_duration, in seconds.';


-- The changes of V7 with the outcome columns.
CREATE OR REPLACE FUNCTION call_rollups_changes(source text, sign integer) RETURNS text
    LANGUAGE sql STABLE
    SET search_path = "${flyway:defaultSchema}", pg_temp
AS
$$
    SELECT format('SELECT account_id, (started_at AT TIME ZONE ''UTC'')::date AS day, assistant_id, phone_bucket, '
                  || 'call_service_label(call_service) AS service, '
                  || 'date_bin(''15 minutes'', started_at, timestamptz ''2000-01-01 00:00:00+00'') AS quarter, '
                  || 'call_status, call_type_label(call_type) AS call_type, call_end_reason_label(call_end_reason) AS end_reason, '
                  || '%s FROM %s',
                  string_agg(format('%s * (%s) AS %I', sign, m.per_call, m.measure), ', '), source)
    FROM call_rollups_measures() m
$$;


-- The trigger of V7 with the outcomes (upserted in key order after the rollups: one order of
-- locks for every writer), and the totals of all accounts (appended, as every total).
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
        TRUNCATE call_rollups, call_totals, call_outcomes;
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
    -- One pass over the changes for all of them: the rollup and outcome rows (upserted, in key
    -- order), the day and quarter-hour totals of the account and of all accounts (appended).
    EXECUTE format(
        'WITH sums AS MATERIALIZED (
             SELECT grouping(account_id, phone_bucket, call_status) AS grouped, account_id, day, quarter, assistant_id, phone_bucket, service,
                    call_status, call_type, end_reason, %2$s
             FROM (%3$s) AS changes
             GROUP BY GROUPING SETS ((account_id, day, assistant_id, phone_bucket, service),
                                     (account_id, day, assistant_id, call_status, call_type, end_reason),
                                     (account_id, day), (account_id, quarter), (day), (quarter))
             HAVING %4$s
         ), rollups AS (
             INSERT INTO call_rollups AS r (account_id, day, assistant_id, phone_bucket, service, %1$s)
             SELECT account_id, day, assistant_id, phone_bucket, service, %1$s FROM sums WHERE grouped = 1
             ORDER BY account_id, day, assistant_id, phone_bucket, service
             ON CONFLICT (account_id, day, assistant_id, phone_bucket, service) DO UPDATE SET %5$s
         ), outcomes AS (
             INSERT INTO call_outcomes AS r (account_id, day, assistant_id, call_status, call_type, end_reason, %1$s)
             SELECT account_id, day, assistant_id, call_status, call_type, end_reason, %1$s FROM sums WHERE grouped = 2
             ORDER BY account_id, day, assistant_id, call_status, call_type, end_reason
             ON CONFLICT (account_id, day, assistant_id, call_status, call_type, end_reason) DO UPDATE SET %5$s
         )
         INSERT INTO call_totals (account_id, level, period_start, %1$s)
         SELECT coalesce(account_id, ''00000000-0000-0000-0000-000000000000''), CASE WHEN quarter IS NULL THEN ''day'' ELSE ''quarter'' END,
                coalesce(quarter, day::timestamp AT TIME ZONE ''UTC''), %1$s
         FROM sums WHERE grouped IN (3, 7)',
        columns, sums, source, changed, applied);
    RETURN NULL;
END
$$;


-- Verify and rebuild of V7, with the outcomes.
CREATE OR REPLACE FUNCTION call_rollups_verify(only_account uuid DEFAULT NULL)
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
    -- Every row is keyed by (rollup, account, period, assistant, a, b): for call_rollups a and b
    -- are the phone bucket and service, for call_outcomes the status and 'type / end reason'; call_totals
    -- rows have none, and the nil UUID and '' stand for them in the join (a FULL JOIN needs plain
    -- equalities), null in the answer.
    RETURN QUERY EXECUTE format(
        'WITH changes AS (
             %2$s WHERE $1 IS NULL OR account_id = $1
         ), actual AS (
             SELECT ''call_rollups'' AS rollup, account_id, day::timestamp AT TIME ZONE ''UTC'' AS period_start,
                    assistant_id, phone_bucket AS a, service AS b, %1$s
             FROM changes GROUP BY account_id, day, assistant_id, phone_bucket, service
             UNION ALL
             SELECT ''call_outcomes'', account_id, day::timestamp AT TIME ZONE ''UTC'', assistant_id, call_status,
                    call_type || '' / '' || end_reason, %1$s
             FROM changes GROUP BY account_id, day, assistant_id, call_status, call_type, end_reason
             UNION ALL
             SELECT ''call_totals day'', account_id, day::timestamp AT TIME ZONE ''UTC'', $2, '''', '''', %1$s
             FROM changes GROUP BY account_id, day
             UNION ALL
             SELECT ''call_totals quarter'', account_id, quarter, $2, '''', '''', %1$s
             FROM changes GROUP BY account_id, quarter
             UNION ALL
             SELECT ''call_totals day'', $2, day::timestamp AT TIME ZONE ''UTC'', $2, '''', '''', %1$s
             FROM changes WHERE $1 IS NULL GROUP BY day
             UNION ALL
             SELECT ''call_totals quarter'', $2, quarter, $2, '''', '''', %1$s
             FROM changes WHERE $1 IS NULL GROUP BY quarter
         ), rolled AS (
             SELECT ''call_rollups'' AS rollup, account_id, day::timestamp AT TIME ZONE ''UTC'' AS period_start,
                    assistant_id, phone_bucket AS a, service AS b, %1$s
             FROM call_rollups WHERE $1 IS NULL OR account_id = $1
             GROUP BY account_id, day, assistant_id, phone_bucket, service
             UNION ALL
             SELECT ''call_outcomes'', account_id, day::timestamp AT TIME ZONE ''UTC'', assistant_id, call_status,
                    call_type || '' / '' || end_reason, %1$s
             FROM call_outcomes WHERE $1 IS NULL OR account_id = $1
             GROUP BY account_id, day, assistant_id, call_status, call_type, end_reason
             UNION ALL
             SELECT ''call_totals '' || level, account_id, period_start, $2, '''', '''', %1$s
             FROM call_totals WHERE $1 IS NULL OR account_id = $1
             GROUP BY account_id, level, period_start
         )
         SELECT coalesce(a.account_id, r.account_id), coalesce(a.rollup, r.rollup), coalesce(a.period_start, r.period_start),
                nullif(coalesce(a.assistant_id, r.assistant_id), $2), nullif(coalesce(a.a, r.a), ''''),
                nullif(coalesce(a.b, r.b), ''''), m.measure, coalesce(m.rollup_value, 0), coalesce(m.actual_value, 0)
         FROM actual a
         FULL JOIN rolled r
                ON r.rollup = a.rollup AND r.account_id = a.account_id AND r.period_start = a.period_start
               AND r.assistant_id = a.assistant_id AND r.a = a.a AND r.b = a.b
         CROSS JOIN LATERAL (VALUES %3$s) AS m (measure, rollup_value, actual_value)
         WHERE coalesce(m.rollup_value, 0) <> coalesce(m.actual_value, 0)
         ORDER BY 1, 2, 3, 4, 5, 6, 7',
        sums, call_rollups_changes('calls', 1), pairs)
    USING only_account, '00000000-0000-0000-0000-000000000000'::uuid;
END
$$;

COMMENT ON FUNCTION call_rollups_verify(uuid) IS
    'Every measure of every row of call_rollups (account, UTC day, assistant, phone bucket, service), call_outcomes (account, UTC day, assistant, status, type / end reason) and call_totals (account, or the nil UUID for all accounts, day or quarter hour) that differs from the raw calls, of one account or of all: no rows means all three are exact.';

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
    DELETE FROM call_outcomes o WHERE only_account IS NULL OR o.account_id = only_account;
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
        'INSERT INTO call_outcomes (account_id, day, assistant_id, call_status, call_type, end_reason, %1$s)
         SELECT account_id, day, assistant_id, call_status, call_type, end_reason, %2$s
         FROM (%3$s) AS changes
         GROUP BY 1, 2, 3, 4, 5, 6
         ORDER BY 1, 2, 3, 4, 5, 6',
        columns, sums, changes)
    USING only_account;
    EXECUTE format(
        'INSERT INTO call_totals (account_id, level, period_start, folded, %1$s)
         SELECT account_id, ''day'', day::timestamp AT TIME ZONE ''UTC'', true, %2$s FROM (%3$s) AS changes GROUP BY account_id, day
         UNION ALL
         SELECT account_id, ''quarter'', quarter, true, %2$s FROM (%3$s) AS changes GROUP BY account_id, quarter',
        columns, sums, changes)
    USING only_account;
    -- The totals of all accounts depend on every account: recomputed whatever was rebuilt.
    DELETE FROM call_totals t WHERE t.account_id = '00000000-0000-0000-0000-000000000000';
    EXECUTE format(
        'INSERT INTO call_totals (account_id, level, period_start, folded, %1$s)
         SELECT ''00000000-0000-0000-0000-000000000000''::uuid, ''day'', day::timestamp AT TIME ZONE ''UTC'', true, %2$s
         FROM (%3$s) AS changes GROUP BY day
         UNION ALL
         SELECT ''00000000-0000-0000-0000-000000000000''::uuid, ''quarter'', quarter, true, %2$s FROM (%3$s) AS changes GROUP BY quarter',
        columns, sums, call_rollups_changes('calls', 1));
    RETURN written;
END
$$;

COMMENT ON FUNCTION call_rollups_rebuild(uuid) IS
    'Recomputes call_rollups, call_outcomes and call_totals from the raw calls, of one account or of all (and the totals of all accounts in any case), in the caller''s transaction; writes to calls wait meanwhile. Returns the call_rollups rows written.';

COMMENT ON COLUMN call_totals.account_id IS 'The account; the nil UUID (00000000-0000-0000-0000-000000000000) for the totals of all accounts together.';

-- The outcomes of the calls already stored.
SELECT call_rollups_rebuild();
