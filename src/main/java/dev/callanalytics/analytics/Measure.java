package dev.callanalytics.analytics;

import org.jooq.Field;
import org.jooq.Table;

import java.math.BigDecimal;
import java.util.Objects;

import static dev.callanalytics.db.Routines.usageNumber;
import static dev.callanalytics.db.Tables.CALLS;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.sum;
import static org.jooq.impl.DSL.when;

/**
 * What the analytics add up: a column of the same name in each pre-aggregation (see {@link
 * Source}), and what one raw call adds to it. The per-call values are those of the database's
 * call_rollups_measures(), which the rollup trigger applies; AnalyticsPropertyTest holds the paths
 * equal.
 */
public record Measure<T extends Number>(String name, Class<T> type, Field<T> perCall) {

    public static final Measure<Long> CALLS_COUNT = new Measure<>("calls", Long.class, inline(1L));
    public static final Measure<BigDecimal> MINUTES =
            new Measure<>("minutes", BigDecimal.class, coalesce(CALLS.CALL_DURATION_MINUTES, BigDecimal.ZERO));
    public static final Measure<BigDecimal> COST = new Measure<>("cost", BigDecimal.class, coalesce(CALLS.CALL_COST, BigDecimal.ZERO));
    public static final Measure<Long> BILLABLE_MINUTES =
            new Measure<>("billable_minutes", Long.class, coalesce(CALLS.BILLABLE_DURATION_MINUTES, 0).cast(Long.class));
    public static final Measure<Long> USAGE_CALLS =
            new Measure<>("usage_calls", Long.class, when(CALLS.USAGE.isNotNull(), inline(1L)).else_(inline(0L)));
    public static final Measure<BigDecimal> USAGE_MINUTES = new Measure<>("usage_minutes", BigDecimal.class,
            when(CALLS.USAGE.isNotNull(), coalesce(CALLS.CALL_DURATION_MINUTES, BigDecimal.ZERO)).else_(BigDecimal.ZERO));
    public static final Measure<BigDecimal> LLM_INPUT_AUDIO_TOKENS = usage("llm_input_audio_tokens", "llm_input_audio_tokens");
    public static final Measure<BigDecimal> LLM_INPUT_TEXT_TOKENS = usage("llm_input_text_tokens", "llm_input_text_tokens");
    public static final Measure<BigDecimal> LLM_INPUT_CACHED_AUDIO_TOKENS = usage("llm_input_cached_audio_tokens", "llm_input_cached_audio_tokens");
    public static final Measure<BigDecimal> LLM_INPUT_CACHED_TEXT_TOKENS = usage("llm_input_cached_text_tokens", "llm_input_cached_text_tokens");
    public static final Measure<BigDecimal> LLM_OUTPUT_AUDIO_TOKENS = usage("llm_output_audio_tokens", "llm_output_audio_tokens");
    public static final Measure<BigDecimal> LLM_OUTPUT_TEXT_TOKENS = usage("llm_output_text_tokens", "llm_output_text_tokens");
    public static final Measure<BigDecimal> LLM_TOTAL_TOKENS = usage("llm_total_tokens", "llm_total_tokens");
    public static final Measure<BigDecimal> TTS_CHARACTERS = usage("tts_characters", "tts_characters_count");
    public static final Measure<BigDecimal> TTS_AUDIO_SECONDS = usage("tts_audio_seconds", "tts_audio_duration");
    public static final Measure<BigDecimal> STT_AUDIO_SECONDS = usage("stt_audio_seconds", "stt_audio_duration");

    /** A number of the usage object the end-call report carries (0 when absent), in the column {@code column}. */
    private static Measure<BigDecimal> usage(String column, String usageKey) {
        return new Measure<>(column, BigDecimal.class, usageNumber(CALLS.USAGE, inline(usageKey)));
    }

    /** Its column in rows of {@code source}: the pre-aggregation's of the same name, or what a raw call adds. */
    Field<T> of(Source source) {
        return source == Source.CALLS_ONLY ? perCall : Objects.requireNonNull(source.table().field(name, type), name);
    }

    /** This measure's column in the rows of a {@link CallFacts} table. */
    public Field<T> in(Table<?> facts) {
        return facts.field(name, type);
    }

    /** Its exact sum over the rows of a {@link CallFacts} table (null over no rows, as SQL's). */
    public Field<BigDecimal> sumIn(Table<?> facts) {
        return sum(in(facts));
    }
}
