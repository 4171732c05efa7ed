package dev.callanalytics.demo;

import dev.callanalytics.auth.AccountQueries;
import dev.callanalytics.ingest.CallWriter;
import dev.callanalytics.ingest.IncomingCall;
import dev.callanalytics.ingest.IncomingCall.Utterance;
import org.jooq.DSLContext;

import javax.sql.DataSource;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/**
 * The reference data set of the speed benchmark: N calls (deterministic, fixed seed) over the
 * 400 days up to today; 20 accounts, the largest holding half of the calls; 200 assistants, each
 * calling through one to three of 60 platform numbers; about 10% web calls and 2% without a
 * platform number; numbers on three telephony services; a realistic mix of outcomes and durations;
 * for answered calls the LLM/TTS/STT usage of the end-call report; three transcript lines for one
 * call in five, the caller's line one of {@link #REQUESTS} and, in one call in a thousand, the
 * one with {@link #RARE_WORD} (which call search is measured on). Written through the ingestion
 * path (COPY into staging, merge), in batches.
 */
public final class ReferenceData {

    public static final int ACCOUNTS = 20;
    public static final int ASSISTANTS = 200;
    public static final int PLATFORM_NUMBERS = 60;
    public static final int DAYS = 400;
    private static final int BATCH = 250_000;
    private static final long SEED = 400_2026L;
    /** Said in about one call in a thousand: in the caller's line of one in 200 of the calls with a transcript. */
    public static final String RARE_WORD = "refund";
    private static final String[] REQUESTS = {"I would like to check the status of my order.", "Can you call me back tomorrow?",
                                              "I need to change my delivery address.", "Is my appointment still on Friday?",
                                              "Please update the phone number on my account.", "What time do you open on Sunday?",
                                              "I did not receive the confirmation message.", "Can I speak to someone about my bill?"};

    private ReferenceData() {
    }

    /** The id of account {@code i}; account 0 is the largest. */
    public static UUID account(int i) {
        return new UUID(0x00000000_0000_4000L, 0x8000_0000_0000_0000L | 0x4E5EL << 16 | i);
    }

    /** The assistants of account {@code i}: 50 for the largest, the rest spread over the others. */
    public static List<UUID> assistants(int account) {
        int first = account == 0 ? 0 : 50 + (account - 1) * 150 / (ACCOUNTS - 1);
        int end = account == 0 ? 50 : 50 + account * 150 / (ACCOUNTS - 1);
        var ids = new ArrayList<UUID>();
        for (int a = first; a < end; a++) {
            ids.add(new UUID(0x0000_0000_0000_4000L | (long) a << 16, 0x8000_0000_0000_0000L | 0xA551L));
        }
        return ids;
    }

    /** Creates the accounts and writes {@code calls} calls; returns calls per second. */
    public static double load(DataSource dataSource, DSLContext ctx, long calls, PrintWriter out) {
        var accounts = new AccountQueries(ctx);
        for (int i = 0; i < ACCOUNTS; i++) {
            accounts.createAccountIfAbsent(account(i), "Reference account " + i);
        }
        // Account 0 takes half; the others share the rest in proportion to 1/rank.
        var shares = new double[ACCOUNTS];
        double harmonic = 0;
        for (int i = 1; i < ACCOUNTS; i++) {
            harmonic += 1.0 / i;
        }
        shares[0] = 0.5;
        for (int i = 1; i < ACCOUNTS; i++) {
            shares[i] = 0.5 / i / harmonic;
        }
        var random = new Random(SEED);
        var writer = new CallWriter(dataSource, CallWriter.Limits.commandLine());
        var today = Instant.now().truncatedTo(ChronoUnit.DAYS);
        long written = 0;
        long started = System.nanoTime();
        for (int account = 0; account < ACCOUNTS; account++) {
            long share = account == ACCOUNTS - 1 ? calls - written : Math.round(calls * shares[account]);
            var assistants = assistants(account);
            var numbers = numbersOf(random, assistants.size());
            for (long done = 0; done < share; ) {
                long size = Math.min(BATCH, share - done);
                try (var staged = writer.stage()) {
                    for (long i = 0; i < size; i++) {
                        int a = random.nextInt(assistants.size());
                        staged.add(i + 1, call(random, account, written + done + i, assistants.get(a), a, numbers.get(a), today));
                    }
                    writer.write(account(account), staged, CallWriter.Kind.IMPORT);
                }
                done += size;
                long total = written + done;
                double seconds = (System.nanoTime() - started) / 1e9;
                out.printf("%,d of %,d calls (%,.0f calls/s)%n", total, calls, total / seconds);
                out.flush();
            }
            written += share;
        }
        return written / ((System.nanoTime() - started) / 1e9);
    }

    /** For each assistant, one to three platform numbers. */
    private static List<List<String>> numbersOf(Random random, int assistants) {
        var numbers = new ArrayList<List<String>>();
        for (int a = 0; a < assistants; a++) {
            var own = new ArrayList<String>();
            int count = 1 + random.nextInt(3);
            for (int n = 0; n < count; n++) {
                own.add("+9180655" + String.format("%05d", random.nextInt(PLATFORM_NUMBERS)));
            }
            numbers.add(own);
        }
        return numbers;
    }

    /** The service of a platform number (half the numbers on exotel, a third on twilio, the rest on plivo); exotel without one. */
    private static String serviceOf(String number) {
        if (number == null) {
            return "exotel";
        }
        int n = Integer.parseInt(number.substring(number.length() - 5));
        return n < PLATFORM_NUMBERS / 2 ? "exotel" : n < PLATFORM_NUMBERS * 5 / 6 ? "twilio" : "plivo";
    }

    private static final String[] STATUSES = {"completed", "completed", "completed", "completed", "completed", "completed",
                                              "completed", "no_answer", "busy", "failed"};

    private static IncomingCall call(Random random, int account, long sequence, UUID assistant, int assistantIndex,
                                     List<String> numbers, Instant today) {
        var startedAt = today.minus(Duration.ofDays(DAYS)).plusSeconds(random.nextLong(DAYS * 86_400L))
                             .plusMillis(random.nextInt(1000));
        boolean web = random.nextInt(10) == 0;
        boolean noNumber = !web && random.nextInt(50) == 0;
        var status = web ? "completed" : STATUSES[random.nextInt(STATUSES.length)];
        boolean answered = status.equals("completed");
        long seconds = answered ? 15 + (long) Math.min(3600, -Math.log(1 - random.nextDouble()) * 180) : 0;
        var minutes = answered ? BigDecimal.valueOf(seconds).divide(BigDecimal.valueOf(60), 4, RoundingMode.HALF_UP) : null;
        Integer sip = switch (status) {
            case "busy" -> 486;
            case "failed" -> 503;
            case "no_answer" -> 480;
            default -> null;
        };
        var room = "ref-" + account + "-" + Long.toString(sequence, 36);
        Optional<List<Utterance>> transcript = random.nextInt(5) == 0
                ? Optional.of(List.of(new Utterance("agent", "Hello, how can I help you today?", startedAt.plusSeconds(2)),
                                      new Utterance("user", sequence % 200 == 7 ? "I want a " + RARE_WORD + " for the damaged parcel."
                                                        : REQUESTS[(int) (sequence % REQUESTS.length)], startedAt.plusSeconds(6)),
                                      new Utterance("agent", "Of course, let me look that up for you.", startedAt.plusSeconds(9))))
                : Optional.empty();
        var number = web || noNumber ? null : numbers.get(random.nextInt(numbers.size()));
        return new IncomingCall(room, assistant, "Assistant " + account + "." + assistantIndex,
                                web ? "web" : "outbound", web ? "web" : serviceOf(number), number,
                                web ? null : "+9198" + (10_000_000 + random.nextInt(89_999_999)), status, null, sip, null,
                                startedAt, answered ? startedAt.plusSeconds(3) : null, startedAt.plusSeconds(seconds + 4),
                                minutes, minutes == null ? null : minutes.multiply(new BigDecimal("0.0100")).setScale(4, RoundingMode.HALF_UP),
                                null, null, null, null, null, null, answered ? DemoCalls.usage(random, seconds) : null, transcript);
    }
}
