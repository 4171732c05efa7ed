package dev.callanalytics.ingest;

import dev.callanalytics.testing.LogCapture;
import dev.callanalytics.testing.TestApi;
import dev.callanalytics.testing.TestApi.Account;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;


import static dev.callanalytics.db.Tables.CALLS;
import static dev.callanalytics.testing.JsonAssert.assertJson;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The end-call webhook: a real platform body in, the call in the logs and the analytics. */
class WebhookTest {

    /** An end-call webhook body as a LiveKit voice platform sends it. */
    static final String BODY = """
            {
              "success": true,
              "message": "Call ended",
              "data": {
                "room_name": "550e8400-e29b-41d4-a716-446655440000_abc123",
                "assistant_id": "550e8400-e29b-41d4-a716-446655440000",
                "assistant_name": "Support Bot",
                "to_number": "+919812345678",
                "call_status": "completed",
                "call_status_reason": null,
                "sip_status_code": null,
                "sip_status_text": null,
                "answered_at": "2026-03-10T09:00:02.000Z",
                "started_at": "2026-03-10T09:00:00.000Z",
                "ended_at": "2026-03-10T09:04:30.000Z",
                "call_duration_minutes": 4.5,
                "recording_path": "https://recordings.example/550e8400_abc123.ogg",
                "transcripts": [
                  {"speaker": "agent", "text": "Hello, how can I help you?", "timestamp": "2026-03-10T09:00:05.000Z"},
                  {"speaker": "user", "text": "I would like to check my order.", "timestamp": "2026-03-10T09:00:09.000Z"}
                ],
                "call_type": "outbound",
                "call_service": "exotel",
                "platform_number": "+918065551234",
                "queue_id": "q-2026-03-10-morning",
                "is_passthrough": false,
                "agent_ready_at": "2026-03-10T09:00:01.200Z",
                "call_end_reason": "participant_left",
                "billable_duration_minutes": 5,
                "created_by_email": "ops@example.com",
                "usage": {
                  "llm": {"model": "gpt-4o-mini", "prompt_tokens": 1834, "completion_tokens": 412},
                  "tts": {"characters": 1290, "seconds": 71.4},
                  "stt": {"provider": "deepgram", "model": "nova-2", "seconds": 262.8}
                }
              }
            }
            """;

    @RegisterExtension
    static final TestApi api = TestApi.start();

    @Test
    void aReplayedWebhookLandsInCallLogsAndAnalyticsAndReplayingItAgainChangesNothing() {
        var account = api.newAccount("webhook");

        var first = api.send("POST", "/webhooks/end-call/" + account.ingestKey(), null, BODY);
        assertEquals(201, first.status(), first.body());
        assertJson("{'success': true, 'message': 'Call recorded', 'data': {'room_name': '550e8400-e29b-41d4-a716-446655440000_abc123', 'result': 'created'}}",
                   first.json());
        var stored = api.ctx().fetchSingle(CALLS, CALLS.ACCOUNT_ID.eq(account.id()));

        var again = api.send("POST", "/webhooks/end-call/" + account.ingestKey(), null, BODY);
        assertEquals(200, again.status());
        assertEquals("unchanged", again.data().get("result").asText());
        assertEquals(stored, api.ctx().fetchSingle(CALLS, CALLS.ACCOUNT_ID.eq(account.id())));

        var logs = api.get("/assistant/call-logs/550e8400-e29b-41d4-a716-446655440000?start_date=2026-03-01", account).data();
        assertJson("""
                {'logs': [{'room_name': '550e8400-e29b-41d4-a716-446655440000_abc123',
                  'assistant_id': '550e8400-e29b-41d4-a716-446655440000', 'assistant_name': 'Support Bot',
                  'to_number': '+919812345678', 'call_status': 'completed', 'call_status_reason': null,
                  'sip_status_code': null, 'sip_status_text': null, 'answered_at': '2026-03-10T09:00:02.000Z',
                  'started_at': '2026-03-10T09:00:00.000Z', 'ended_at': '2026-03-10T09:04:30.000Z',
                  'call_duration_minutes': 4.5, 'recording_path': 'https://recordings.example/550e8400_abc123.ogg',
                  'transcripts': [
                    {'speaker': 'agent', 'text': 'Hello, how can I help you?', 'timestamp': '2026-03-10T09:00:05.000Z'},
                    {'speaker': 'user', 'text': 'I would like to check my order.', 'timestamp': '2026-03-10T09:00:09.000Z'}],
                  'call_cost': null}],
                 'pagination': {'total': 1, 'page': 1, 'limit': 10, 'total_pages': 1}}
                """, logs);
        assertJson("""
                {'phone_numbers': [{'phone_number': '+918065551234', 'total_calls': 1, 'total_duration_minutes': 4.5,
                  'total_duration_hours': 0.08, 'avg_duration_minutes': 4.5}]}
                """, api.get("/analytics/calls/by-phone-number?start_date=2026-03-01&end_date=2026-03-31", account).data());

        // The webhook's own fields are kept, usage queryable as JSON.
        assertEquals("q-2026-03-10-morning", stored.getQueueId());
        assertEquals(false, stored.getIsPassthrough());
        assertEquals("participant_left", stored.getCallEndReason());
        assertEquals(5, stored.getBillableDurationMinutes());
        assertEquals("2026-03-10T09:00:01.200Z", stored.getAgentReadyAt().toInstant().toString());
        assertEquals(1834, api.ctx().fetchValue("select (usage #>> '{llm,prompt_tokens}')::int from calls where account_id = ?", account.id()));
        assertEquals("deepgram", api.ctx().fetchValue("select usage -> 'stt' ->> 'provider' from calls where account_id = ?", account.id()));
    }

    @Test
    void theTokenIsAnIngestKeyAndNeverLogged() {
        var account = api.newAccount("webhook keys");
        try (var logs = LogCapture.of("")) {
            theTokenIsAnIngestKey(account);
            for (var line : logs.messages()) {
                assertFalse(line.contains(account.ingestKey()) || line.contains(account.readKey()) || line.contains("unknown-token-123"), line);
            }
        }
    }

    private static void theTokenIsAnIngestKey(Account account) {
        var unknown = api.send("POST", "/webhooks/end-call/ca_unknown-token-123", null, BODY);
        assertEquals(401, unknown.status());
        assertEquals("Invalid or revoked API key", unknown.message());
        var readOnly = api.send("POST", "/webhooks/end-call/" + account.readKey(), null, BODY);
        assertEquals(403, readOnly.status());
        var noData = api.send("POST", "/webhooks/end-call/" + account.ingestKey(), null, "{\"success\": true, \"message\": \"x\"}");
        assertEquals(400, noData.status());
        assertEquals("Invalid webhook body: data must be the call record, a JSON object", noData.message());
        assertEquals(405, api.send("GET", "/webhooks/end-call/" + account.ingestKey(), null, null).status());
        // The sender's success and message do not change how the call is recorded.
        var failedEnvelope = BODY.replace("\"success\": true", "\"success\": false");
        assertEquals(201, api.send("POST", "/webhooks/end-call/" + account.ingestKey(), null, failedEnvelope).status());
    }
}
