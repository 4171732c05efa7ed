-- The rollups must not drift from the calls silently.
--
-- The triggers that keep call_rollups and assistants in step with calls run as their owner
-- (SECURITY DEFINER) with a fixed search_path, so that whoever writes calls (the API, or an
-- analyst's INSERT) has them applied the same way, and nobody can slip another call_rollups in
-- front of them through search_path. call_rollups itself is writable only by that owner.
--
-- Triggers can still be bypassed: a data-only restore, a load with
-- session_replication_role = replica, disabled triggers. call_rollups_verify() finds what differs
-- afterwards and call_rollups_rebuild() repairs it ("rollups verify" and "rollups rebuild" on the
-- command line; README, "Operating it").

ALTER FUNCTION call_rollups_follow_calls() SECURITY DEFINER SET search_path = "${flyway:defaultSchema}", pg_temp;
ALTER FUNCTION assistants_follow_calls() SECURITY DEFINER SET search_path = "${flyway:defaultSchema}", pg_temp;

REVOKE ALL ON call_rollups FROM PUBLIC;

CREATE FUNCTION call_rollups_verify(only_account uuid DEFAULT NULL)
    RETURNS TABLE (account_id     uuid,
                   day            date,
                   assistant_id   uuid,
                   phone_bucket   text,
                   rollup_calls   bigint,
                   actual_calls   bigint,
                   rollup_minutes numeric,
                   actual_minutes numeric)
    LANGUAGE sql STABLE
    SET search_path = "${flyway:defaultSchema}", pg_temp
AS
$$
    WITH actual AS (
        SELECT c.account_id, (c.started_at AT TIME ZONE 'UTC')::date AS day, c.assistant_id, c.phone_bucket,
               count(*) AS calls, coalesce(sum(c.call_duration_minutes), 0) AS minutes
        FROM calls c
        WHERE only_account IS NULL OR c.account_id = only_account
        GROUP BY 1, 2, 3, 4
    ), rolled AS (
        SELECT r.account_id, r.day, r.assistant_id, r.phone_bucket, r.calls, r.minutes
        FROM call_rollups r
        WHERE (only_account IS NULL OR r.account_id = only_account)
          AND (r.calls <> 0 OR r.minutes <> 0)
    )
    SELECT coalesce(a.account_id, r.account_id), coalesce(a.day, r.day), coalesce(a.assistant_id, r.assistant_id),
           coalesce(a.phone_bucket, r.phone_bucket),
           coalesce(r.calls, 0), coalesce(a.calls, 0), coalesce(r.minutes, 0), coalesce(a.minutes, 0)
    FROM actual a
    FULL JOIN rolled r
           ON r.account_id = a.account_id AND r.day = a.day AND r.assistant_id = a.assistant_id
          AND r.phone_bucket = a.phone_bucket
    WHERE coalesce(r.calls, 0) <> coalesce(a.calls, 0) OR coalesce(r.minutes, 0) <> coalesce(a.minutes, 0)
    ORDER BY 1, 2, 3, 4
$$;

COMMENT ON FUNCTION call_rollups_verify(uuid) IS
    'Every (account, UTC day, assistant, phone bucket) whose rollup differs from its raw calls, of one account or of all: no rows means call_rollups is exact.';

CREATE FUNCTION call_rollups_rebuild(only_account uuid DEFAULT NULL)
    RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = "${flyway:defaultSchema}", pg_temp
AS
$$
DECLARE
    written bigint;
BEGIN
    -- Writers of calls wait until this transaction ends (reads go on), so that no trigger adds a
    -- change to a rollup between its deletion and its recomputation.
    LOCK TABLE calls IN SHARE MODE;
    DELETE FROM call_rollups r WHERE only_account IS NULL OR r.account_id = only_account;
    INSERT INTO call_rollups (account_id, day, assistant_id, phone_bucket, calls, minutes)
    SELECT c.account_id, (c.started_at AT TIME ZONE 'UTC')::date, c.assistant_id, c.phone_bucket,
           count(*), coalesce(sum(c.call_duration_minutes), 0)
    FROM calls c
    WHERE only_account IS NULL OR c.account_id = only_account
    GROUP BY 1, 2, 3, 4
    ORDER BY 1, 2, 3, 4;
    GET DIAGNOSTICS written = ROW_COUNT;
    RETURN written;
END
$$;

COMMENT ON FUNCTION call_rollups_rebuild(uuid) IS
    'Recomputes call_rollups from the raw calls, of one account or of all, in the caller''s transaction; writes to calls wait meanwhile. Returns the rollup rows written.';

-- Neither is for every role: the first reads every account, the second rewrites the rollups.
REVOKE ALL ON FUNCTION call_rollups_verify(uuid) FROM PUBLIC;
REVOKE ALL ON FUNCTION call_rollups_rebuild(uuid) FROM PUBLIC;
