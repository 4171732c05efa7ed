-- Ingestion: the fields the end-of-call webhook of LiveKit voice platforms reports beyond the
-- call record, and the shape of the staging table every write goes through.

ALTER TABLE calls
    ADD COLUMN queue_id                  text,
    ADD COLUMN is_passthrough            boolean,
    ADD COLUMN agent_ready_at            timestamptz,
    ADD COLUMN call_end_reason           text,
    ADD COLUMN billable_duration_minutes integer CHECK (billable_duration_minutes >= 0),
    ADD COLUMN usage                     jsonb CHECK (jsonb_typeof(usage) = 'object');

COMMENT ON COLUMN calls.queue_id IS 'The platform''s queue the call was placed from (outbound campaigns), as reported by the end-call webhook.';
COMMENT ON COLUMN calls.is_passthrough IS 'Whether the call was passed through to a human or another system rather than handled by the assistant.';
COMMENT ON COLUMN calls.agent_ready_at IS 'When the voice agent was ready to speak.';
COMMENT ON COLUMN calls.call_end_reason IS 'Why the call ended, as the platform words it (e.g. participant_left).';
COMMENT ON COLUMN calls.billable_duration_minutes IS 'Whole minutes the provider bills for the call.';
COMMENT ON COLUMN calls.usage IS
    'What the call consumed, as the platform reports it: e.g. {"llm": {"prompt_tokens": .., "completion_tokens": ..}, "tts": {"characters": .., "seconds": ..}, "stt": {"provider": .., "model": .., "seconds": ..}}. Query with ->, ->> and jsonb_path_query.';

-- Every write (one call, an import of millions, a webhook) is COPYed into a temporary table of
-- this shape, then merged into calls and transcripts by set-based statements in the same
-- transaction. This table itself stays empty: it is the template the temporary one is made
-- LIKE, and the type jOOQ generates the staging queries from.
CREATE UNLOGGED TABLE ingest_staging (
    line                      bigint      NOT NULL,
    room_name                 text        NOT NULL,
    position                  integer,
    assistant_id              uuid,
    assistant_name            text,
    call_type                 text,
    call_service              text,
    platform_number           text,
    to_number                 text,
    call_status               text,
    call_status_reason        text,
    sip_status_code           integer,
    sip_status_text           text,
    started_at                timestamptz,
    answered_at               timestamptz,
    ended_at                  timestamptz,
    call_duration_minutes     numeric,
    call_cost                 numeric,
    recording_path            text,
    queue_id                  text,
    is_passthrough            boolean,
    agent_ready_at            timestamptz,
    call_end_reason           text,
    billable_duration_minutes integer,
    usage                     jsonb,
    replaces_transcripts      boolean,
    speaker                   text,
    text                      text,
    spoken_at                 timestamptz
);

COMMENT ON TABLE ingest_staging IS
    'Always empty: the shape of the temporary table each write is COPYed into before being merged into calls and transcripts. One row per call (position null) and one per utterance (position set), joined by line.';
COMMENT ON COLUMN ingest_staging.line IS 'Number of the input line (1-based) the row came from; a call and its utterances share it.';
COMMENT ON COLUMN ingest_staging.room_name IS 'The call''s room_name.';
COMMENT ON COLUMN ingest_staging.position IS 'Null for the call''s own row; for an utterance, its place in the order received, from 0.';
COMMENT ON COLUMN ingest_staging.replaces_transcripts IS 'On a call row: true when the report carried transcripts (they replace the stored ones), false when it did not (they are kept).';
COMMENT ON COLUMN ingest_staging.speaker IS 'On an utterance row: transcripts.speaker.';
COMMENT ON COLUMN ingest_staging.text IS 'On an utterance row: transcripts.text.';
COMMENT ON COLUMN ingest_staging.spoken_at IS 'On an utterance row: transcripts.spoken_at.';

-- The merge records which calls it wrote, so that their transcripts follow: same temporary
-- treatment, same reason for a permanent, empty template.
CREATE UNLOGGED TABLE ingest_merged (
    room_name text    NOT NULL,
    line      bigint  NOT NULL,
    created   boolean NOT NULL
);

COMMENT ON TABLE ingest_merged IS
    'Always empty: the shape of the temporary table in which a merge notes the calls it created or changed.';
COMMENT ON COLUMN ingest_merged.room_name IS 'A call the merge wrote.';
COMMENT ON COLUMN ingest_merged.line IS 'The input line it was written from.';
COMMENT ON COLUMN ingest_merged.created IS 'True when the call was new, false when an existing call was changed.';
