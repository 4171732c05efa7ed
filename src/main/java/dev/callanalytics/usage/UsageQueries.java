package dev.callanalytics.usage;

import dev.callanalytics.analytics.AccountScope;
import dev.callanalytics.analytics.CallFacts;
import dev.callanalytics.analytics.CallFacts.Slice;
import dev.callanalytics.analytics.DaySplit;
import dev.callanalytics.analytics.Dimension;
import dev.callanalytics.analytics.Durations;
import dev.callanalytics.analytics.Measure;
import dev.callanalytics.http.DateRange;
import dev.callanalytics.usage.UsageResponses.TokenSummary;
import dev.callanalytics.usage.UsageResponses.UsageTotals;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.SortField;
import org.jooq.Table;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.callanalytics.analytics.Measure.LLM_INPUT_AUDIO_TOKENS;
import static dev.callanalytics.analytics.Measure.LLM_INPUT_CACHED_AUDIO_TOKENS;
import static dev.callanalytics.analytics.Measure.LLM_INPUT_CACHED_TEXT_TOKENS;
import static dev.callanalytics.analytics.Measure.LLM_INPUT_TEXT_TOKENS;
import static dev.callanalytics.analytics.Measure.LLM_OUTPUT_AUDIO_TOKENS;
import static dev.callanalytics.analytics.Measure.LLM_OUTPUT_TEXT_TOKENS;
import static dev.callanalytics.analytics.Measure.LLM_TOTAL_TOKENS;
import static dev.callanalytics.analytics.Measure.STT_AUDIO_SECONDS;
import static dev.callanalytics.analytics.Measure.TTS_AUDIO_SECONDS;
import static dev.callanalytics.analytics.Measure.TTS_CHARACTERS;
import static dev.callanalytics.analytics.Measure.USAGE_CALLS;
import static dev.callanalytics.analytics.Measure.USAGE_MINUTES;
import static org.jooq.impl.DSL.select;

/**
 * LLM, TTS and STT usage summed from the usage object the end-call report carries (a call
 * without one is not a usage record), over the {@link CallFacts} of a range: the usage sums the
 * daily rollups keep for whole days, each call's usage for the partial days at the edges.
 */
public final class UsageQueries {

    private static final List<Measure<?>> SUMMARY = List.of(
            USAGE_CALLS, LLM_INPUT_AUDIO_TOKENS, LLM_INPUT_TEXT_TOKENS, LLM_INPUT_CACHED_AUDIO_TOKENS, LLM_INPUT_CACHED_TEXT_TOKENS,
            LLM_OUTPUT_AUDIO_TOKENS, LLM_OUTPUT_TEXT_TOKENS, LLM_TOTAL_TOKENS, TTS_CHARACTERS, TTS_AUDIO_SECONDS, STT_AUDIO_SECONDS,
            USAGE_MINUTES);
    private static final List<Measure<?>> PER_KEY = List.of(
            USAGE_CALLS, LLM_TOTAL_TOKENS, LLM_INPUT_AUDIO_TOKENS, LLM_OUTPUT_TEXT_TOKENS, TTS_CHARACTERS, TTS_AUDIO_SECONDS,
            STT_AUDIO_SECONDS, USAGE_MINUTES);

    private final DSLContext ctx;

    public UsageQueries(DSLContext ctx) {
        this.ctx = ctx;
    }

    /** Every usage sum of the range, over the scope's accounts (and one assistant's calls, if given). */
    public TokenSummary summary(AccountScope scope, DateRange range, Optional<UUID> assistant) {
        var facts = CallFacts.of(new Slice(scope, DaySplit.of(range), assistant), List.of(), SUMMARY);
        return ctx.select(sums(facts, SUMMARY))
                  .from(facts)
                  .fetchSingle(r -> new TokenSummary(
                          count(r, USAGE_CALLS), whole(r, LLM_INPUT_AUDIO_TOKENS), whole(r, LLM_INPUT_TEXT_TOKENS),
                          whole(r, LLM_INPUT_CACHED_AUDIO_TOKENS), whole(r, LLM_INPUT_CACHED_TEXT_TOKENS),
                          whole(r, LLM_OUTPUT_AUDIO_TOKENS), whole(r, LLM_OUTPUT_TEXT_TOKENS), whole(r, LLM_TOTAL_TOKENS),
                          whole(r, TTS_CHARACTERS), Durations.seconds(exact(r, TTS_AUDIO_SECONDS)),
                          Durations.seconds(exact(r, STT_AUDIO_SECONDS)), Durations.minutes(exact(r, USAGE_MINUTES))));
    }

    /** A row of usage per value of {@code keys}, for the keys with usage records in the range. */
    public record Keyed(Record keys, UsageTotals totals) {
    }

    /**
     * Usage per value of {@code keys} (an assistant, an account, or both), most LLM tokens first,
     * ties by the keys, for the keys with at least one usage record in the range.
     */
    public List<Keyed> by(AccountScope scope, DateRange range, List<Dimension<?>> keys) {
        var facts = CallFacts.of(new Slice(scope, DaySplit.of(range), Optional.empty()), keys, PER_KEY);
        var keyFields = keys.stream().<Field<?>>map(key -> key.in(facts)).toList();
        var fields = new ArrayList<Field<?>>(keyFields);
        fields.addAll(sums(facts, PER_KEY));
        var order = new ArrayList<SortField<?>>();
        order.add(LLM_TOTAL_TOKENS.sumIn(facts).desc());
        keyFields.forEach(key -> order.add(key.asc()));
        return ctx.select(fields)
                  .from(facts)
                  .groupBy(keyFields)
                  .having(USAGE_CALLS.sumIn(facts).gt(BigDecimal.ZERO))
                  .orderBy(order)
                  .fetch(r -> new Keyed(r.into(keyFields.toArray(Field[]::new)), totals(r)));
    }

    private static UsageTotals totals(Record r) {
        var minutes = exact(r, USAGE_MINUTES);
        return new UsageTotals(count(r, USAGE_CALLS), whole(r, LLM_TOTAL_TOKENS), whole(r, LLM_INPUT_AUDIO_TOKENS),
                               whole(r, LLM_OUTPUT_TEXT_TOKENS), whole(r, TTS_CHARACTERS),
                               Durations.seconds(exact(r, TTS_AUDIO_SECONDS)), Durations.seconds(exact(r, STT_AUDIO_SECONDS)),
                               Durations.minutes(minutes), Durations.hours(minutes));
    }

    /** The sum of each measure, named as the measure. */
    private static List<Field<BigDecimal>> sums(Table<?> facts, List<Measure<?>> measures) {
        return measures.stream().map(measure -> measure.sumIn(facts).as(measure.name())).toList();
    }

    private static BigDecimal exact(Record r, Measure<?> measure) {
        return r.get(measure.name(), BigDecimal.class);
    }

    private static long count(Record r, Measure<?> measure) {
        var sum = exact(r, measure);
        return sum == null ? 0 : sum.longValueExact();
    }

    private static BigInteger whole(Record r, Measure<?> measure) {
        return Durations.whole(exact(r, measure));
    }
}
