package dev.callanalytics.analytics;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.callanalytics.http.ApiException;
import dev.callanalytics.http.Echo;
import dev.callanalytics.http.QueryParams;
import org.jooq.Record;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL;

/**
 * What a request asks for beyond the documented fields, {@code include=cost,billable_minutes,percentiles}:
 * the documented answers stay as they are unless asked. Cost and billable minutes are sums like
 * the minutes; percentiles of the call durations (where offered) are exact, computed from the
 * calls of the range.
 */
public record Include(boolean cost, boolean billableMinutes, boolean percentiles) {

    public static final Include NOTHING = new Include(false, false, false);

    /** The include parameter of a route; {@code withPercentiles} says whether the route offers them. */
    public static Include of(QueryParams params, boolean withPercentiles) {
        var raw = params.get("include");
        if (raw.isEmpty()) {
            return NOTHING;
        }
        boolean cost = false;
        boolean billable = false;
        boolean percentiles = false;
        for (var part : raw.get().split(",", -1)) {
            switch (part.trim()) {
                case "cost" -> cost = true;
                case "billable_minutes" -> billable = true;
                case "percentiles" -> {
                    if (!withPercentiles) {
                        throw unknown(raw.get(), withPercentiles);
                    }
                    percentiles = true;
                }
                default -> throw unknown(raw.get(), withPercentiles);
            }
        }
        return new Include(cost, billable, percentiles);
    }

    private static ApiException unknown(String raw, boolean withPercentiles) {
        return ApiException.badRequest("Invalid include '" + Echo.of(raw) + "': use a comma-separated list of cost, billable_minutes"
                                       + (withPercentiles ? ", percentiles" : ""));
    }

    /** The measures to sum besides calls and minutes. */
    List<Measure<?>> measures() {
        var measures = new ArrayList<Measure<?>>();
        if (cost) {
            measures.add(Measure.COST);
        }
        if (billableMinutes) {
            measures.add(Measure.BILLABLE_MINUTES);
        }
        return measures;
    }

    /** What a row adds, read from its sums (named as the measures) and its percentiles; null when nothing is asked. */
    Extra extra(Record sums, Percentiles percentiles) {
        if (!cost && !billableMinutes && !this.percentiles) {
            return null;
        }
        var exactCost = cost ? sums.get(Measure.COST.name(), BigDecimal.class) : null;
        var billable = billableMinutes ? sums.get(Measure.BILLABLE_MINUTES.name(), BigDecimal.class) : null;
        return new Extra(cost ? Durations.money(exactCost) : null,
                         billableMinutes ? (billable == null ? 0 : billable.longValueExact()) : null,
                         this.percentiles ? (percentiles == null ? Percentiles.NONE : percentiles) : null);
    }

    /** What an empty row (a bucket without calls) adds: zeros. */
    Extra zero() {
        if (!cost && !billableMinutes && !percentiles) {
            return null;
        }
        return new Extra(cost ? Durations.money(BigDecimal.ZERO) : null, billableMinutes ? 0L : null, percentiles ? Percentiles.NONE : null);
    }

    /** The fields a row gains, each present only when asked for. */
    public record Extra(@JsonInclude(NON_NULL) BigDecimal totalCost,
                        @JsonInclude(NON_NULL) Long totalBillableMinutes,
                        @JsonInclude(NON_NULL) Percentiles durationPercentiles) {
    }

    /**
     * Call durations in minutes below which 50%, 90% and 99% of the calls fall, interpolated
     * between calls (percentile_cont), exact, rounded half up to two decimals; a call of unknown
     * length counts 0 minutes, as in the sums. Null over no calls.
     */
    public record Percentiles(BigDecimal p50, BigDecimal p90, BigDecimal p99) {

        static final Percentiles NONE = new Percentiles(null, null, null);

        static Percentiles of(BigDecimal[] values) {
            return values == null ? NONE : new Percentiles(Durations.minutes(values[0]), Durations.minutes(values[1]), Durations.minutes(values[2]));
        }
    }
}
