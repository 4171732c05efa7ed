package dev.callanalytics.demo;

import dev.callanalytics.ingest.IncomingCall;
import dev.callanalytics.ingest.IncomingCall.Utterance;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * A realistic, deterministic (fixed seed) set of calls for the 90 days up to a moment, for each
 * of two demo accounts: assistants (one renamed half way), several platform numbers on two
 * telephony services, web calls and calls with no platform number, a believable mix of outcomes
 * with SIP codes for the failures, and for the calls that were answered a transcript and the LLM,
 * TTS and STT usage the end-call report carries.
 */
final class DemoCalls {

    static final int DAYS = 90;

    record Assistant(UUID id, String name, String renamedTo, String opening, double share, boolean web) {
    }

    /** A demo account: its calls come from its own seed, assistants and numbers, at its own volume. */
    record Tenant(UUID account, String name, long seed, List<Assistant> assistants, List<String> numbers, double volume) {
    }

    static final List<Assistant> ASSISTANTS = List.of(
            assistant("Sales Bot", "Sales Assistant", "Hi, this is Maya from Acme Solar. Do you have a minute to talk about your energy bill?", 0.22, false),
            assistant("Support Bot", null, "Thanks for calling Acme support. How can I help you today?", 0.20, false),
            assistant("Appointment Reminder", null, "Hello, I am calling to confirm your appointment tomorrow at 10 AM.", 0.15, false),
            assistant("Collections Agent", null, "Hello, I am calling from Acme Finance about your recent statement.", 0.10, false),
            assistant("Survey Bot", null, "Hi! Would you take a two-minute survey about your last delivery?", 0.10, false),
            assistant("Onboarding Guide", null, "Welcome to Acme! I will help you set up your account.", 0.08, false),
            assistant("Billing Helper", null, "You have reached Acme billing. Are you calling about an invoice?", 0.07, false),
            assistant("Web Concierge", null, "Hi there, I am the Acme website assistant. What are you looking for?", 0.08, true));

    static final List<String> PLATFORM_NUMBERS = List.of("+918065550101", "+918065550102", "+14155550123", "+442071838750", "+918065550199");

    /** The demo account of the README: eight assistants, about 50,000 calls. */
    static final Tenant ACME = new Tenant(UUID.fromString("00000000-0000-4000-8000-0000000de30a"), "Demo (call-analytics)",
                                          20_260_321L, ASSISTANTS, PLATFORM_NUMBERS, 1.0);
    /** A second, smaller account, so that the operator's view across accounts has more than one. */
    static final Tenant CLINIC = new Tenant(UUID.fromString("00000000-0000-4000-8000-0000000de30b"), "Demo clinic (call-analytics)",
            20_261_201L,
            List.of(assistant("Clinic Receptionist", null, "Good morning, Sunrise Clinic. How may I help you?", 0.55, false),
                    assistant("Lab Results Caller", null, "Hello, I am calling from Sunrise Clinic about your lab results.", 0.30, false),
                    assistant("Clinic Web Chat", null, "Hi, I can help you book an appointment online.", 0.15, true)),
            List.of("+918065550301", "+918065550302"), 0.25);

    static final List<Tenant> TENANTS = List.of(ACME, CLINIC);

    /** Outcome, share, SIP code and text, reason. */
    private record Outcome(String status, double share, Integer sip, String sipText, String reason) {
    }

    private static final List<Outcome> OUTCOMES = List.of(
            new Outcome("completed", 0.68, null, null, null),
            new Outcome("no_answer", 0.11, 480, "Temporarily Unavailable", "callee did not answer"),
            new Outcome("busy", 0.06, 486, "Busy Here", "callee busy"),
            new Outcome("failed", 0.05, 503, "Service Unavailable", "carrier error"),
            new Outcome("rejected", 0.03, 603, "Decline", "callee declined"),
            new Outcome("cancelled", 0.03, 487, "Request Terminated", "caller hung up before answer"),
            new Outcome("unreachable", 0.02, 404, "Not Found", "number not in service"),
            new Outcome("timeout", 0.02, 408, "Request Timeout", "no response from carrier"));

    /**
     * A word said in one call of the demo account and in no other (its caller's last line, two
     * days ago), so that the call search has something to find: the README's example, and the
     * page's browser test.
     */
    static final String WORD_IN_ONE_CALL = "marigold";
    private static final String LINE_WITH_THE_WORD = "The marigold seeds I ordered never arrived, can you send them again?";

    private static final String[] REPLIES = {
            "Yes, go ahead.", "Sure, what is it about?", "I have a question about my account.", "Can you call me later?",
            "That works for me.", "How much would that cost?", "I already did that last week.", "Okay, thank you."};

    private static Assistant assistant(String name, String renamedTo, String opening, double share, boolean web) {
        var id = UUID.nameUUIDFromBytes(("call-analytics demo assistant " + name).getBytes(StandardCharsets.UTF_8));
        return new Assistant(id, name, renamedTo, opening, share, web);
    }

    /** Feeds the calls of {@code tenant} of the {@value #DAYS} days before {@code now}, oldest day first. */
    static void generate(Tenant tenant, Instant now, Consumer<IncomingCall> sink) {
        var random = new Random(tenant.seed());
        var today = now.truncatedTo(ChronoUnit.DAYS);
        int sequence = 0;
        boolean wordSaid = tenant != ACME;
        for (int day = DAYS; day >= 0; day--) {
            var dayStart = today.minus(Duration.ofDays(day));
            var weekday = dayStart.atZone(ZoneOffset.UTC).getDayOfWeek();
            boolean weekend = weekday == DayOfWeek.SATURDAY || weekday == DayOfWeek.SUNDAY;
            int calls = (int) (tenant.volume() * ((weekend ? 300 : 640) + random.nextInt(80)));
            for (int i = 0; i < calls; i++) {
                // business hours, busier mid-morning and mid-afternoon
                int minuteOfDay = (int) Math.min(1439, Math.max(0, 60 * (13 + random.nextGaussian() * 3.2)));
                var startedAt = dayStart.plusSeconds(60L * minuteOfDay + random.nextInt(60));
                if (!startedAt.isBefore(now)) {
                    continue;
                }
                boolean sayTheWord = !wordSaid && day == 2;
                var call = call(random, tenant, ++sequence, startedAt, day < DAYS / 2, sayTheWord);
                wordSaid |= sayTheWord && !call.transcripts().orElse(List.of()).isEmpty();
                sink.accept(call);
            }
        }
    }

    private static IncomingCall call(Random random, Tenant tenant, int sequence, Instant startedAt, boolean secondHalf,
                                     boolean sayTheWord) {
        var assistant = pick(random, tenant.assistants());
        var name = secondHalf && assistant.renamedTo() != null ? assistant.renamedTo() : assistant.name();
        boolean web = assistant.web() ? random.nextDouble() < 0.9 : random.nextDouble() < 0.04;
        String callType = web ? "web" : random.nextDouble() < 0.7 ? "outbound" : "inbound";
        String service = web ? "web" : random.nextDouble() < 0.6 ? "exotel" : "twilio";
        String platform = web ? null : random.nextDouble() < 0.03 ? null : tenant.numbers().get(random.nextInt(tenant.numbers().size()));
        var outcome = web ? OUTCOMES.getFirst() : outcome(random);
        boolean answered = outcome.status().equals("completed");
        long seconds = answered ? 20 + (long) Math.min(1800, -Math.log(1 - random.nextDouble()) * 200) : 0;
        var minutes = answered ? BigDecimal.valueOf(seconds).divide(BigDecimal.valueOf(60), 4, RoundingMode.HALF_UP) : null;
        var cost = minutes == null ? null : minutes.multiply(new BigDecimal("0.0120")).setScale(4, RoundingMode.HALF_UP);
        var answeredAt = answered ? startedAt.plusSeconds(2 + random.nextInt(8)) : null;
        var endedAt = answered ? answeredAt.plusSeconds(seconds) : startedAt.plusSeconds(5 + random.nextInt(40));
        var room = assistant.id() + "_" + Long.toString(startedAt.getEpochSecond(), 36) + Integer.toString(sequence, 36);
        return new IncomingCall(room, assistant.id(), name, callType, service, platform,
                                web ? null : "+9198" + (10_000_000 + random.nextInt(89_999_999)),
                                outcome.status(), outcome.reason(), outcome.sip(), outcome.sipText(),
                                startedAt, answeredAt, endedAt, minutes, cost,
                                answered ? "https://recordings.example/demo/" + room + ".ogg" : null,
                                null, false, startedAt.plusMillis(800 + random.nextInt(1500)),
                                answered ? "participant_left" : outcome.status(),
                                answered ? (int) Math.ceil(seconds / 60.0) : 0, answered ? usage(random, seconds) : null,
                                Optional.of(answered ? transcript(random, assistant, answeredAt, seconds, sayTheWord) : List.of()));
    }

    /** The usage of an answered call of {@code seconds}, in the end-call report's keys (a realtime model: audio in and out). */
    static String usage(Random random, long seconds) {
        long audioIn = seconds * (20 + random.nextInt(10));
        long textIn = 400 + seconds * (1 + random.nextInt(3));
        long cachedAudio = audioIn / (2 + random.nextInt(3));
        long cachedText = textIn / 2;
        long audioOut = seconds * (8 + random.nextInt(6));
        long textOut = seconds * (2 + random.nextInt(2));
        long characters = seconds * (6 + random.nextInt(6));
        var tts = BigDecimal.valueOf(seconds * (40 + random.nextInt(20)), 2);
        var stt = BigDecimal.valueOf(seconds * (45 + random.nextInt(10)), 2);
        return ("{\"llm_input_audio_tokens\": %d, \"llm_input_text_tokens\": %d, \"llm_input_cached_audio_tokens\": %d, "
                + "\"llm_input_cached_text_tokens\": %d, \"llm_output_audio_tokens\": %d, \"llm_output_text_tokens\": %d, "
                + "\"llm_total_tokens\": %d, \"tts_characters_count\": %d, \"tts_audio_duration\": %s, \"stt_audio_duration\": %s}")
                .formatted(audioIn, textIn, cachedAudio, cachedText, audioOut, textOut, audioIn + textIn + audioOut + textOut,
                           characters, tts.toPlainString(), stt.toPlainString());
    }

    /** @param sayTheWord whether the caller's last line is the one with {@link #WORD_IN_ONE_CALL} (drawing nothing more at random) */
    private static List<Utterance> transcript(Random random, Assistant assistant, Instant answeredAt, long seconds, boolean sayTheWord) {
        var lines = new ArrayList<Utterance>();
        lines.add(new Utterance("agent", assistant.opening(), answeredAt.plusSeconds(1)));
        int turns = 2 + random.nextInt(5);
        for (int i = 1; i < turns; i++) {
            var at = answeredAt.plusSeconds(Math.max(2, seconds * i / turns));
            lines.add(i % 2 == 1 ? new Utterance("user", REPLIES[random.nextInt(REPLIES.length)], at)
                                 : new Utterance("agent", "Understood. Let me take care of that for you.", at));
        }
        if (sayTheWord) {
            lines.add(new Utterance("user", LINE_WITH_THE_WORD, answeredAt.plusSeconds(seconds)));
        }
        return lines;
    }

    private static Assistant pick(Random random, List<Assistant> assistants) {
        double r = random.nextDouble();
        for (var assistant : assistants) {
            r -= assistant.share();
            if (r < 0) {
                return assistant;
            }
        }
        return assistants.getLast();
    }

    private static Outcome outcome(Random random) {
        double r = random.nextDouble();
        for (var outcome : OUTCOMES) {
            r -= outcome.share();
            if (r < 0) {
                return outcome;
            }
        }
        return OUTCOMES.getFirst();
    }

    private DemoCalls() {
    }
}
