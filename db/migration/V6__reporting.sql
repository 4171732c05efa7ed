-- The reporting schema: what analysts and BI tools read instead of the base tables.
--
-- Its views join in the names an analyst wants (the assistant's current name), label the UTC
-- day, ISO week and month as the API does, and see only the accounts of the role that reads
-- them: a reader role ("readers create NAME --account ID") sees its account, an operator's
-- ("--all-accounts") every account, a superuser every account, any other role nothing. The
-- filter is inside each view, which is a security barrier: no condition an analyst adds
-- (a WHERE account_id = '<other>', a function of their own) is evaluated before it.
--
-- The views run with their owner's rights, so readers need no right on the base tables and get
-- none: not on calls, not on api_keys (key hashes), not on accounts, not on readers.

CREATE TABLE readers (
    role_name  text        PRIMARY KEY,
    account_id uuid        REFERENCES accounts (account_id),
    created_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE readers IS
    'PostgreSQL login roles that read the reporting schema ("readers create"), and whose data each sees. Roles are dropped with their row ("readers revoke").';
COMMENT ON COLUMN readers.role_name IS 'The login role (current_user of its sessions).';
COMMENT ON COLUMN readers.account_id IS 'The one account the role sees; null for an operator''s role that sees every account (--all-accounts).';
COMMENT ON COLUMN readers.created_at IS 'When the role was created.';

REVOKE ALL ON readers FROM PUBLIC;

-- The accounts the role running a query may see. Not granted to anyone: the reporting views
-- read it with their owner's rights, and current_user is still the reader's role there.
CREATE VIEW reader_accounts AS
SELECT a.account_id
FROM accounts a
WHERE EXISTS (SELECT 1
              FROM readers r
              WHERE r.role_name = current_user
                AND (r.account_id IS NULL OR r.account_id = a.account_id))
   OR (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user);

COMMENT ON VIEW reader_accounts IS
    'The accounts the current role may see through the reporting schema: a reader''s own, every one for an --all-accounts reader or a superuser, none otherwise.';
COMMENT ON COLUMN reader_accounts.account_id IS 'An account the current role may see.';

REVOKE ALL ON reader_accounts FROM PUBLIC;


CREATE SCHEMA reporting;

COMMENT ON SCHEMA reporting IS
    'Views for analysts and BI tools: calls with names and UTC day/week/month labels, transcripts, daily rollups. Each shows only the accounts of the role reading it. Start with reporting.daily for anything over many days.';


CREATE VIEW reporting.accounts WITH (security_barrier) AS
SELECT a.account_id, a.name, a.created_at
FROM "${flyway:defaultSchema}".accounts a
WHERE a.account_id = ANY (ARRAY(SELECT s.account_id FROM "${flyway:defaultSchema}".reader_accounts s));

COMMENT ON VIEW reporting.accounts IS 'The accounts you may see: your own, as a reader of one account.';
COMMENT ON COLUMN reporting.accounts.account_id IS 'Identifier of the account: the account_id of every other view.';
COMMENT ON COLUMN reporting.accounts.name IS 'Name of the account.';
COMMENT ON COLUMN reporting.accounts.created_at IS 'When the account was created.';


CREATE VIEW reporting.assistants WITH (security_barrier) AS
SELECT a.account_id, a.assistant_id, a.assistant_name, a.created_at AS first_seen_at
FROM "${flyway:defaultSchema}".assistants a
WHERE a.account_id = ANY (ARRAY(SELECT s.account_id FROM "${flyway:defaultSchema}".reader_accounts s));

COMMENT ON VIEW reporting.assistants IS 'One row per voice-AI assistant, with its current display name.';
COMMENT ON COLUMN reporting.assistants.account_id IS 'The account the assistant belongs to.';
COMMENT ON COLUMN reporting.assistants.assistant_id IS 'The assistant''s UUID (the assistant_id of the API).';
COMMENT ON COLUMN reporting.assistants.assistant_name IS 'Current display name: that of its most recently started call that had one.';
COMMENT ON COLUMN reporting.assistants.first_seen_at IS 'When the assistant''s first call was written.';


CREATE VIEW reporting.calls WITH (security_barrier) AS
SELECT c.account_id,
       c.room_name,
       c.assistant_id,
       a.assistant_name,
       c.assistant_name                                       AS assistant_name_at_call,
       c.call_status,
       c.call_status_reason,
       c.call_type,
       c.call_service,
       c.platform_number,
       c.to_number,
       c.phone_bucket,
       c.started_at,
       c.answered_at,
       c.ended_at,
       (c.started_at AT TIME ZONE 'UTC')::date                AS day,
       to_char(c.started_at AT TIME ZONE 'UTC', 'IYYY-"W"IW') AS iso_week,
       to_char(c.started_at AT TIME ZONE 'UTC', 'YYYY-MM')    AS month,
       coalesce(c.call_duration_minutes, 0)                   AS minutes,
       c.call_duration_minutes,
       c.billable_duration_minutes                            AS billable_minutes,
       c.call_cost                                            AS cost,
       c.call_end_reason                                      AS end_reason,
       c.sip_status_code,
       c.sip_status_text,
       c.recording_path,
       c.queue_id,
       c.is_passthrough,
       c.usage
FROM "${flyway:defaultSchema}".calls c
LEFT JOIN "${flyway:defaultSchema}".assistants a
       ON a.account_id = c.account_id AND a.assistant_id = c.assistant_id
WHERE c.account_id = ANY (ARRAY(SELECT s.account_id FROM "${flyway:defaultSchema}".reader_accounts s));

COMMENT ON VIEW reporting.calls IS
    'One row per call, with its assistant''s current name and its UTC day, ISO week and month. Filter on started_at (indexed) rather than day for speed; for totals over many days read reporting.daily.';
COMMENT ON COLUMN reporting.calls.account_id IS 'The account the call belongs to.';
COMMENT ON COLUMN reporting.calls.room_name IS 'The call''s id (the LiveKit room name), unique within an account.';
COMMENT ON COLUMN reporting.calls.assistant_id IS 'The assistant that handled the call.';
COMMENT ON COLUMN reporting.calls.assistant_name IS 'The assistant''s current display name (what the API reports).';
COMMENT ON COLUMN reporting.calls.assistant_name_at_call IS 'The assistant''s name as reported with this call.';
COMMENT ON COLUMN reporting.calls.call_status IS 'initiated or answered while in progress; then completed, busy, no_answer, rejected, cancelled, unreachable, timeout or failed.';
COMMENT ON COLUMN reporting.calls.call_status_reason IS 'Detail of a terminal status other than completed, when reported.';
COMMENT ON COLUMN reporting.calls.call_type IS 'outbound, inbound or web.';
COMMENT ON COLUMN reporting.calls.call_service IS 'The telephony provider that carried the call (twilio, exotel, web, ...).';
COMMENT ON COLUMN reporting.calls.platform_number IS 'The platform''s own number the call went through, as reported.';
COMMENT ON COLUMN reporting.calls.to_number IS 'The number that was called.';
COMMENT ON COLUMN reporting.calls.phone_bucket IS 'The bucket of /analytics/calls/by-phone-number: WEB_CALL, the trimmed platform_number, or UNKNOWN_PLATFORM.';
COMMENT ON COLUMN reporting.calls.started_at IS 'When the call started: the instant every date range of the API is taken on.';
COMMENT ON COLUMN reporting.calls.answered_at IS 'When the call was answered; null if it never was.';
COMMENT ON COLUMN reporting.calls.ended_at IS 'When the call ended; null while in progress or unknown.';
COMMENT ON COLUMN reporting.calls.day IS 'The UTC day the call started (the API''s by-time day bucket).';
COMMENT ON COLUMN reporting.calls.iso_week IS 'The ISO week the call started in, UTC, labelled as the API labels it: 2026-W09 (ISO week-year, not calendar year).';
COMMENT ON COLUMN reporting.calls.month IS 'The UTC month the call started in, labelled as the API labels it: 2026-03.';
COMMENT ON COLUMN reporting.calls.minutes IS 'Length of the call in minutes as the analytics count it: exact decimal, 0 when unknown.';
COMMENT ON COLUMN reporting.calls.call_duration_minutes IS 'Length of the call in minutes as reported: null when unknown (as the call logs show it).';
COMMENT ON COLUMN reporting.calls.billable_minutes IS 'Whole minutes the provider bills for the call, when reported.';
COMMENT ON COLUMN reporting.calls.cost IS 'What the call cost, exact decimal, in the account''s currency.';
COMMENT ON COLUMN reporting.calls.end_reason IS 'Why the call ended, as the platform words it (e.g. participant_left).';
COMMENT ON COLUMN reporting.calls.sip_status_code IS 'SIP response code (100..699) when the provider reported one, e.g. 486.';
COMMENT ON COLUMN reporting.calls.sip_status_text IS 'SIP response text, e.g. Busy Here.';
COMMENT ON COLUMN reporting.calls.recording_path IS 'URL or path of the call recording, if any.';
COMMENT ON COLUMN reporting.calls.queue_id IS 'The platform''s queue the call was placed from (outbound campaigns).';
COMMENT ON COLUMN reporting.calls.is_passthrough IS 'Whether the call was passed through to a human or another system.';
COMMENT ON COLUMN reporting.calls.usage IS 'What the call consumed (LLM tokens, TTS characters and seconds, STT seconds) as the platform reports it, as jsonb.';


CREATE VIEW reporting.transcripts WITH (security_barrier) AS
SELECT t.account_id,
       t.room_name,
       c.assistant_id,
       c.started_at AS call_started_at,
       t.position,
       t.speaker,
       t.text,
       t.spoken_at
FROM "${flyway:defaultSchema}".transcripts t
JOIN "${flyway:defaultSchema}".calls c
  ON c.account_id = t.account_id AND c.room_name = t.room_name
WHERE t.account_id = ANY (ARRAY(SELECT s.account_id FROM "${flyway:defaultSchema}".reader_accounts s));

COMMENT ON VIEW reporting.transcripts IS
    'What was said in each call, one row per utterance. Speaking order: spoken_at, then position.';
COMMENT ON COLUMN reporting.transcripts.account_id IS 'The account the call belongs to.';
COMMENT ON COLUMN reporting.transcripts.room_name IS 'The call (reporting.calls.room_name).';
COMMENT ON COLUMN reporting.transcripts.assistant_id IS 'The assistant of the call.';
COMMENT ON COLUMN reporting.transcripts.call_started_at IS 'When the call started (reporting.calls.started_at).';
COMMENT ON COLUMN reporting.transcripts.position IS 'Order in which the call''s utterances were received, from 0.';
COMMENT ON COLUMN reporting.transcripts.speaker IS 'Who spoke: agent, user, ...';
COMMENT ON COLUMN reporting.transcripts.text IS 'What was said.';
COMMENT ON COLUMN reporting.transcripts.spoken_at IS 'When it was said.';


CREATE VIEW reporting.daily WITH (security_barrier) AS
SELECT r.account_id,
       r.day,
       to_char(r.day, 'IYYY-"W"IW') AS iso_week,
       to_char(r.day, 'YYYY-MM')    AS month,
       r.assistant_id,
       a.assistant_name,
       r.phone_bucket,
       r.calls,
       r.minutes
FROM "${flyway:defaultSchema}".call_rollups r
LEFT JOIN "${flyway:defaultSchema}".assistants a
       ON a.account_id = r.account_id AND a.assistant_id = r.assistant_id
WHERE r.calls > 0
  AND r.account_id = ANY (ARRAY(SELECT s.account_id FROM "${flyway:defaultSchema}".reader_accounts s));

COMMENT ON VIEW reporting.daily IS
    'Calls and minutes per UTC day, assistant and phone bucket, kept exact in the same transaction as every write: sum these rows for anything over whole days (a year is thousands of rows, not millions of calls).';
COMMENT ON COLUMN reporting.daily.account_id IS 'The account.';
COMMENT ON COLUMN reporting.daily.day IS 'The UTC day the calls started on.';
COMMENT ON COLUMN reporting.daily.iso_week IS 'The ISO week of the day, labelled as the API labels it: 2026-W09.';
COMMENT ON COLUMN reporting.daily.month IS 'The month of the day, labelled as the API labels it: 2026-03.';
COMMENT ON COLUMN reporting.daily.assistant_id IS 'The assistant of the calls.';
COMMENT ON COLUMN reporting.daily.assistant_name IS 'The assistant''s current display name.';
COMMENT ON COLUMN reporting.daily.phone_bucket IS 'The calls'' phone bucket (reporting.calls.phone_bucket).';
COMMENT ON COLUMN reporting.daily.calls IS 'How many calls started that day, whatever their status (at least 1).';
COMMENT ON COLUMN reporting.daily.minutes IS 'Exact sum of their minutes (a call of unknown length adds 0).';


-- Every role may select from the views (they show a role nothing unless it is a reader or a
-- superuser); no role but their owner may change them. Views added later are granted alike.
GRANT USAGE ON SCHEMA reporting TO PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA reporting GRANT SELECT ON TABLES TO PUBLIC;


-- A vacuum that empties the last pages of a table truncates them under an exclusive lock, which
-- a streaming replica must replay by cancelling every query reading the table (after
-- max_standby_streaming_delay): a BI query on calls would be cancelled by a routine vacuum on
-- the primary. These tables mostly grow, so the space is reused rather than given back.
ALTER TABLE calls SET (vacuum_truncate = false);
ALTER TABLE transcripts SET (vacuum_truncate = false);
ALTER TABLE call_rollups SET (vacuum_truncate = false);
