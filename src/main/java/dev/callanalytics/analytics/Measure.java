package dev.callanalytics.analytics;

import org.jooq.Field;
import org.jooq.Table;

import java.math.BigDecimal;

import static dev.callanalytics.db.Routines.usageNumber;
import static dev.callanalytics.db.Tables.CALLS;
import static dev.callanalytics.db.Tables.CALL_ROLLUPS;
import static dev.callanalytics.db.Tables.CALL_TOTALS;
import static org.jooq.impl.DSL.coalesce;
import static org.jooq.impl.DSL.inline;
import static org.jooq.impl.DSL.sum;
import static org.jooq.impl.DSL.when;

/**
 * What the analytics add up, read from each source of {@link CallFacts}: a column of the daily
 * rollups, the same column of the account totals, and what one raw call adds to them. The
 * per-call values are those of the database's call_rollups_measures(), which the rollup trigger
 * applies; AnalyticsPropertyTest holds the paths equal.
 */
public record Measure<T extends Number>(String name, Class<T> type, Field<T> rollup, Field<T> total, Field<T> perCall) {

    public static final Measure<Long> CALLS_COUNT = new Measure<>("calls", Long.class, CALL_ROLLUPS.CALLS, CALL_TOTALS.CALLS, inline(1L));
    public static final Measure<BigDecimal> MINUTES =
            new Measure<>("minutes", BigDecimal.class, CALL_ROLLUPS.MINUTES, CALL_TOTALS.MINUTES,
                          coalesce(CALLS.CALL_DURATION_MINUTES, BigDecimal.ZERO));
    public static final Measure<Long> USAGE_CALLS =
            new Measure<>("usage_calls", Long.class, CALL_ROLLUPS.USAGE_CALLS, CALL_TOTALS.USAGE_CALLS,
                          when(CALLS.USAGE.isNotNull(), inline(1L)).else_(inline(0L)));
    public static final Measure<BigDecimal> USAGE_MINUTES =
            new Measure<>("usage_minutes", BigDecimal.class, CALL_ROLLUPS.USAGE_MINUTES, CALL_TOTALS.USAGE_MINUTES,
                          when(CALLS.USAGE.isNotNull(), coalesce(CALLS.CALL_DURATION_MINUTES, BigDecimal.ZERO)).else_(BigDecimal.ZERO));
    public static final Measure<BigDecimal> LLM_INPUT_AUDIO_TOKENS =
            usage(CALL_ROLLUPS.LLM_INPUT_AUDIO_TOKENS, CALL_TOTALS.LLM_INPUT_AUDIO_TOKENS, "llm_input_audio_tokens");
    public static final Measure<BigDecimal> LLM_INPUT_TEXT_TOKENS =
            usage(CALL_ROLLUPS.LLM_INPUT_TEXT_TOKENS, CALL_TOTALS.LLM_INPUT_TEXT_TOKENS, "llm_input_text_tokens");
    public static final Measure<BigDecimal> LLM_INPUT_CACHED_AUDIO_TOKENS =
            usage(CALL_ROLLUPS.LLM_INPUT_CACHED_AUDIO_TOKENS, CALL_TOTALS.LLM_INPUT_CACHED_AUDIO_TOKENS, "llm_input_cached_audio_tokens");
    public static final Measure<BigDecimal> LLM_INPUT_CACHED_TEXT_TOKENS =
            usage(CALL_ROLLUPS.LLM_INPUT_CACHED_TEXT_TOKENS, CALL_TOTALS.LLM_INPUT_CACHED_TEXT_TOKENS, "llm_input_cached_text_tokens");
    public static final Measure<BigDecimal> LLM_OUTPUT_AUDIO_TOKENS =
            usage(CALL_ROLLUPS.LLM_OUTPUT_AUDIO_TOKENS, CALL_TOTALS.LLM_OUTPUT_AUDIO_TOKENS, "llm_output_audio_tokens");
    public static final Measure<BigDecimal> LLM_OUTPUT_TEXT_TOKENS =
            usage(CALL_ROLLUPS.LLM_OUTPUT_TEXT_TOKENS, CALL_TOTALS.LLM_OUTPUT_TEXT_TOKENS, "llm_output_text_tokens");
    public static final Measure<BigDecimal> LLM_TOTAL_TOKENS =
            usage(CALL_ROLLUPS.LLM_TOTAL_TOKENS, CALL_TOTALS.LLM_TOTAL_TOKENS, "llm_total_tokens");
    public static final Measure<BigDecimal> TTS_CHARACTERS = usage(CALL_ROLLUPS.TTS_CHARACTERS, CALL_TOTALS.TTS_CHARACTERS, "tts_characters_count");
    public static final Measure<BigDecimal> TTS_AUDIO_SECONDS =
            usage(CALL_ROLLUPS.TTS_AUDIO_SECONDS, CALL_TOTALS.TTS_AUDIO_SECONDS, "tts_audio_duration");
    public static final Measure<BigDecimal> STT_AUDIO_SECONDS =
            usage(CALL_ROLLUPS.STT_AUDIO_SECONDS, CALL_TOTALS.STT_AUDIO_SECONDS, "stt_audio_duration");

    /** A number of the usage object the end-call report carries (0 when absent). */
    private static Measure<BigDecimal> usage(Field<BigDecimal> rollup, Field<BigDecimal> total, String usageKey) {
        return new Measure<>(rollup.getName(), BigDecimal.class, rollup, total, usageNumber(CALLS.USAGE, inline(usageKey)));
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
