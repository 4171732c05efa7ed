-- The call-analytics schema: accounts and their API keys, assistants, calls and transcripts.
--
-- Every table that holds an account's data carries account_id and has it first in its primary
-- key and in every unique constraint, so the tables can be distributed by account_id (Citus)
-- and co-located as they are. Durations and money are numeric (exact), instants timestamptz.
--
-- calls -> assistants and transcripts -> calls have no foreign keys, on purpose: a key check per
-- row costs about 40% of a bulk load of calls with their transcripts (measured with psql \copy).
-- The relations hold all the same: the statement triggers at the end of this file create the
-- assistant of every call written, and transcripts are written only with their call, in its
-- transaction (ingest). Analysts loading by hand: insert the call before its transcripts.

CREATE TABLE accounts (
    account_id uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    name       text        NOT NULL CHECK (btrim(name) <> ''),
    created_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE accounts IS
    'A customer of call-analytics. Every call, assistant and API key belongs to exactly one account, and no query ever crosses accounts.';
COMMENT ON COLUMN accounts.account_id IS 'Identifier of the account; the scope of every other table.';
COMMENT ON COLUMN accounts.name IS 'Human-readable name of the account, as given to "accounts create".';
COMMENT ON COLUMN accounts.created_at IS 'When the account was created.';


-- Keys are looked up by hash before the account is known, so this small table is global
-- (a Citus reference table), keyed by key_id alone.
CREATE TABLE api_keys (
    key_id     uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid        NOT NULL REFERENCES accounts (account_id),
    key_hash   bytea       NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    scopes     text[]      NOT NULL CHECK (cardinality(scopes) > 0 AND scopes <@ ARRAY['read', 'ingest']::text[]),
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);

CREATE INDEX api_keys_account_idx ON api_keys (account_id);

COMMENT ON TABLE api_keys IS
    'API keys of an account. The key itself is shown once when created and never stored: only its SHA-256 hash is kept here.';
COMMENT ON COLUMN api_keys.key_id IS 'Public identifier of the key, used to revoke it ("keys revoke KEY_ID"). Not a secret.';
COMMENT ON COLUMN api_keys.account_id IS 'The account the key acts for: every request made with it sees this account''s data only.';
COMMENT ON COLUMN api_keys.key_hash IS 'SHA-256 of the key as sent in "Authorization: Bearer <key>". Keys carry 256 random bits, so a plain hash cannot be reversed.';
COMMENT ON COLUMN api_keys.scopes IS 'What the key may do: read (the analytics and call-log endpoints) and/or ingest (writing calls).';
COMMENT ON COLUMN api_keys.created_at IS 'When the key was created.';
COMMENT ON COLUMN api_keys.revoked_at IS 'When the key was revoked; null while it is valid. A revoked key is refused with 401.';


CREATE TABLE assistants (
    account_id      uuid        NOT NULL REFERENCES accounts (account_id),
    assistant_id    uuid        NOT NULL,
    assistant_name  text,
    name_started_at timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, assistant_id)
);

COMMENT ON TABLE assistants IS
    'The voice-AI assistants of an account, one row each. Rows appear by themselves when a call of a new assistant is written (see the triggers on calls).';
COMMENT ON COLUMN assistants.account_id IS 'The account the assistant belongs to.';
COMMENT ON COLUMN assistants.assistant_id IS 'The assistant''s UUID, as the voice platform names it. Unique within an account only: two accounts may use the same id.';
COMMENT ON COLUMN assistants.assistant_name IS 'Current display name: the assistant_name of the assistant''s most recently started call that has one. Older calls keep the name they had (calls.assistant_name).';
COMMENT ON COLUMN assistants.name_started_at IS 'started_at of the call the current display name was taken from, so that a late report of an older call does not rename the assistant.';
COMMENT ON COLUMN assistants.created_at IS 'When the assistant was first seen.';


CREATE TABLE calls (
    account_id            uuid        NOT NULL,
    room_name             text        NOT NULL CHECK (room_name <> ''),
    assistant_id          uuid        NOT NULL,
    assistant_name        text,
    call_type             text        CHECK (call_type IN ('outbound', 'inbound', 'web')),
    call_service          text,
    platform_number       text,
    to_number             text,
    call_status           text        NOT NULL DEFAULT 'initiated'
                                      CHECK (call_status IN ('initiated', 'answered', 'completed', 'busy', 'no_answer',
                                                             'rejected', 'cancelled', 'unreachable', 'timeout', 'failed')),
    call_status_reason    text,
    sip_status_code       integer     CHECK (sip_status_code BETWEEN 100 AND 699),
    sip_status_text       text,
    started_at            timestamptz NOT NULL,
    answered_at           timestamptz,
    ended_at              timestamptz,
    call_duration_minutes numeric     CHECK (call_duration_minutes >= 0),
    call_cost             numeric     CHECK (call_cost >= 0),
    recording_path        text,
    phone_bucket          text        NOT NULL GENERATED ALWAYS AS (
                                          CASE
                                              WHEN call_type = 'web' OR lower(call_service) = 'web' THEN 'WEB_CALL'
                                              WHEN btrim(platform_number) <> '' THEN btrim(platform_number)
                                              ELSE 'UNKNOWN_PLATFORM'
                                          END) STORED,
    received_at           timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (account_id, room_name),
    CHECK (ended_at >= started_at)
);

-- Analytics: every endpoint reads one account's calls over a range of started_at; the
-- included columns let them answer from the index alone.
CREATE INDEX calls_account_started_idx ON calls (account_id, started_at)
    INCLUDE (assistant_id, phone_bucket, call_duration_minutes);
-- Call logs: one assistant's calls, newest first (the default order), room_name breaking ties.
CREATE INDEX calls_account_assistant_started_idx ON calls (account_id, assistant_id, started_at DESC NULLS LAST, room_name);

COMMENT ON TABLE calls IS
    'One row per call of a voice-AI assistant (a LiveKit room), with its outcome. Analytics count every call whose started_at is in range, whatever its status.';
COMMENT ON COLUMN calls.account_id IS 'The account the call belongs to.';
COMMENT ON COLUMN calls.room_name IS 'The call''s id: the LiveKit room name. Unique within an account.';
COMMENT ON COLUMN calls.assistant_id IS 'The assistant that handled the call (assistants.assistant_id, which a trigger creates on first sight).';
COMMENT ON COLUMN calls.assistant_name IS 'The assistant''s name at the time of the call; assistants.assistant_name holds the current one.';
COMMENT ON COLUMN calls.call_type IS 'outbound, inbound or web.';
COMMENT ON COLUMN calls.call_service IS 'The telephony provider that carried the call: twilio, exotel, web, ...';
COMMENT ON COLUMN calls.platform_number IS 'The platform''s own phone number the call went through, as reported.';
COMMENT ON COLUMN calls.to_number IS 'The number that was called.';
COMMENT ON COLUMN calls.call_status IS 'initiated or answered while the call is in progress; then one of the terminal statuses completed, busy, no_answer, rejected, cancelled, unreachable, timeout, failed.';
COMMENT ON COLUMN calls.call_status_reason IS 'Optional detail of a terminal status other than completed.';
COMMENT ON COLUMN calls.sip_status_code IS 'SIP response code (100..699) when the provider reported one, e.g. 486 for busy.';
COMMENT ON COLUMN calls.sip_status_text IS 'SIP response text, e.g. Busy Here.';
COMMENT ON COLUMN calls.started_at IS 'When the call started. The instant every date range and time bucket is taken on (buckets are UTC).';
COMMENT ON COLUMN calls.answered_at IS 'When the call was answered; null if it never was.';
COMMENT ON COLUMN calls.ended_at IS 'When the call ended; null while in progress or unknown.';
COMMENT ON COLUMN calls.call_duration_minutes IS 'Length of the call in minutes, exact decimal. Null (unknown) counts as 0 minutes in analytics.';
COMMENT ON COLUMN calls.call_cost IS 'What the call cost, exact decimal, in the account''s currency.';
COMMENT ON COLUMN calls.recording_path IS 'URL or path of the call recording, if any.';
COMMENT ON COLUMN calls.phone_bucket IS 'The by-phone-number bucket (computed): WEB_CALL when call_type or call_service is web, else the trimmed platform_number, else UNKNOWN_PLATFORM.';
COMMENT ON COLUMN calls.received_at IS 'When this version of the call record was written; the later of two reports wins ties.';


CREATE TABLE transcripts (
    account_id uuid    NOT NULL,
    room_name  text    NOT NULL,
    position   integer NOT NULL CHECK (position >= 0),
    speaker    text,
    text       text,
    spoken_at  timestamptz,
    PRIMARY KEY (account_id, room_name, position)
);

COMMENT ON TABLE transcripts IS
    'What was said in a call, one row per utterance. Speaking order is spoken_at, then position.';
COMMENT ON COLUMN transcripts.account_id IS 'The account the call belongs to.';
COMMENT ON COLUMN transcripts.room_name IS 'The call (calls.room_name, same account_id) the utterance belongs to.';
COMMENT ON COLUMN transcripts.position IS 'Order in which the utterances of a call were received, from 0.';
COMMENT ON COLUMN transcripts.speaker IS 'Who spoke: agent, user, ...';
COMMENT ON COLUMN transcripts.text IS 'What was said.';
COMMENT ON COLUMN transcripts.spoken_at IS 'When it was said (the "timestamp" of the API).';


-- Assistants follow their calls. Statement-level triggers (one upsert per statement, not per
-- row) so that bulk loads stay fast, and so that analysts can load calls with a bare INSERT.
-- The display name comes from the most recently started call that has a name; between two
-- calls started at the same instant the later report wins (>=).
CREATE FUNCTION assistants_follow_calls() RETURNS trigger
    LANGUAGE plpgsql AS
$$
BEGIN
    INSERT INTO assistants AS a (account_id, assistant_id, assistant_name, name_started_at)
    SELECT DISTINCT ON (c.account_id, c.assistant_id)
           c.account_id, c.assistant_id, c.assistant_name,
           CASE WHEN c.assistant_name IS NOT NULL THEN c.started_at END
    FROM changed_calls c
    ORDER BY c.account_id, c.assistant_id, (c.assistant_name IS NOT NULL) DESC, c.started_at DESC, c.received_at DESC
    ON CONFLICT (account_id, assistant_id) DO UPDATE
        SET assistant_name  = excluded.assistant_name,
            name_started_at = excluded.name_started_at
        WHERE excluded.assistant_name IS NOT NULL
          AND (a.name_started_at IS NULL OR excluded.name_started_at >= a.name_started_at);
    RETURN NULL;
END
$$;

COMMENT ON FUNCTION assistants_follow_calls() IS
    'Creates the assistants of newly written calls and keeps their display name on the most recently started call''s assistant_name.';

CREATE TRIGGER calls_insert_assistants
    AFTER INSERT ON calls
    REFERENCING NEW TABLE AS changed_calls
    FOR EACH STATEMENT EXECUTE FUNCTION assistants_follow_calls();

CREATE TRIGGER calls_update_assistants
    AFTER UPDATE ON calls
    REFERENCING NEW TABLE AS changed_calls
    FOR EACH STATEMENT EXECUTE FUNCTION assistants_follow_calls();
