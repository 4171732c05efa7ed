-- Daily rollups of calls, so that analytics over a year read a few hundred thousand rows at
-- most instead of millions of calls. They are kept exact by statement-level triggers on calls
-- (every INSERT, UPDATE, DELETE and TRUNCATE, whoever writes: ingestion or an analyst's SQL),
-- in the same transaction as the write. Nothing at read time writes, so a read replica serves
-- them as they are. The API answers a range from the rollups of its whole UTC days and from the
-- raw calls of the partial days at its edges.

CREATE TABLE call_rollups (
    account_id   uuid    NOT NULL,
    day          date    NOT NULL,
    assistant_id uuid    NOT NULL,
    phone_bucket text    NOT NULL,
    calls        bigint  NOT NULL,
    minutes      numeric NOT NULL,
    PRIMARY KEY (account_id, day, assistant_id, phone_bucket)
);

-- One assistant's days (the assistant_id filter of by-time and by-phone-number).
CREATE INDEX call_rollups_account_assistant_day_idx ON call_rollups (account_id, assistant_id, day)
    INCLUDE (phone_bucket, calls, minutes);

COMMENT ON TABLE call_rollups IS
    'Calls and minutes per account, UTC day, assistant and phone bucket, maintained from calls by triggers in the same transaction as every write. Sum these for whole days; a row may hold 0 calls after calls moved away.';
COMMENT ON COLUMN call_rollups.account_id IS 'The account.';
COMMENT ON COLUMN call_rollups.day IS 'The UTC day the calls started on.';
COMMENT ON COLUMN call_rollups.assistant_id IS 'The assistant of the calls.';
COMMENT ON COLUMN call_rollups.phone_bucket IS 'The calls'' phone bucket (calls.phone_bucket).';
COMMENT ON COLUMN call_rollups.calls IS 'How many calls started that day, whatever their status.';
COMMENT ON COLUMN call_rollups.minutes IS 'Exact sum of their call_duration_minutes (a call without one adds 0).';

CREATE FUNCTION call_rollups_follow_calls() RETURNS trigger
    LANGUAGE plpgsql AS
$$
DECLARE
    added   CONSTANT text := 'SELECT account_id, (started_at AT TIME ZONE ''UTC'')::date AS day, assistant_id, phone_bucket,
                                     1 AS calls, coalesce(call_duration_minutes, 0) AS minutes FROM new_calls';
    removed CONSTANT text := 'SELECT account_id, (started_at AT TIME ZONE ''UTC'')::date AS day, assistant_id, phone_bucket,
                                     -1 AS calls, -coalesce(call_duration_minutes, 0) AS minutes FROM old_calls';
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE call_rollups;
        RETURN NULL;
    END IF;
    -- The change of each rollup: +1 for every row version written, -1 for every one replaced or
    -- deleted, in one statement whose rows go in key order, so that concurrent writers lock
    -- rollups in one order. (Each trigger has only the transition tables of its event, hence
    -- the source is chosen here and the statement run with EXECUTE.)
    EXECUTE format(
        'INSERT INTO call_rollups AS r (account_id, day, assistant_id, phone_bucket, calls, minutes)
         SELECT account_id, day, assistant_id, phone_bucket, sum(calls), sum(minutes)
         FROM (%s) AS changes
         GROUP BY account_id, day, assistant_id, phone_bucket
         HAVING sum(calls) <> 0 OR sum(minutes) <> 0
         ORDER BY account_id, day, assistant_id, phone_bucket
         ON CONFLICT (account_id, day, assistant_id, phone_bucket) DO UPDATE
             SET calls   = r.calls + excluded.calls,
                 minutes = r.minutes + excluded.minutes',
        CASE TG_OP
            WHEN 'INSERT' THEN added
            WHEN 'UPDATE' THEN added || ' UNION ALL ' || removed
            ELSE removed
        END);
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION call_rollups_follow_calls() IS
    'Applies the change a statement made to calls to call_rollups, in the same transaction.';

CREATE TRIGGER calls_insert_rollups
    AFTER INSERT ON calls
    REFERENCING NEW TABLE AS new_calls
    FOR EACH STATEMENT EXECUTE FUNCTION call_rollups_follow_calls();

CREATE TRIGGER calls_update_rollups
    AFTER UPDATE ON calls
    REFERENCING OLD TABLE AS old_calls NEW TABLE AS new_calls
    FOR EACH STATEMENT EXECUTE FUNCTION call_rollups_follow_calls();

CREATE TRIGGER calls_delete_rollups
    AFTER DELETE ON calls
    REFERENCING OLD TABLE AS old_calls
    FOR EACH STATEMENT EXECUTE FUNCTION call_rollups_follow_calls();

CREATE TRIGGER calls_truncate_rollups
    AFTER TRUNCATE ON calls
    FOR EACH STATEMENT EXECUTE FUNCTION call_rollups_follow_calls();

-- The calls already stored.
INSERT INTO call_rollups (account_id, day, assistant_id, phone_bucket, calls, minutes)
SELECT account_id, (started_at AT TIME ZONE 'UTC')::date, assistant_id, phone_bucket,
       count(*), coalesce(sum(call_duration_minutes), 0)
FROM calls
GROUP BY 1, 2, 3, 4;
