package dev.callanalytics.analytics;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The contract's rounding, in one place: PostgreSQL sums minutes exactly (numeric), and each
 * output value is derived from that exact sum and rounded once, to two decimals, half up.
 */
public final class Durations {

    private static final BigDecimal MINUTES_PER_HOUR = BigDecimal.valueOf(60);

    private Durations() {
    }

    public static BigDecimal minutes(BigDecimal exactMinutes) {
        return round(orZero(exactMinutes));
    }

    public static BigDecimal hours(BigDecimal exactMinutes) {
        return orZero(exactMinutes).divide(MINUTES_PER_HOUR, 2, RoundingMode.HALF_UP);
    }

    /** Total minutes over the number of calls; 0 when there are none. */
    public static BigDecimal average(BigDecimal exactMinutes, long calls) {
        if (calls == 0) {
            return round(BigDecimal.ZERO);
        }
        return orZero(exactMinutes).divide(BigDecimal.valueOf(calls), 2, RoundingMode.HALF_UP);
    }

    /** A difference of minutes, which may be negative: rounded once, half up (away from zero at .5). */
    public static BigDecimal signedMinutes(BigDecimal exactMinutes) {
        return round(orZero(exactMinutes));
    }

    /** An amount of money (call_cost sums): rounded once, to two decimals, half up. */
    public static BigDecimal money(BigDecimal exact) {
        return round(orZero(exact));
    }

    /** Seconds (of audio, say) as they are reported: rounded once, to two decimals, half up. */
    public static BigDecimal seconds(BigDecimal exactSeconds) {
        return round(orZero(exactSeconds));
    }

    /** A count that is whole by nature (tokens, characters), as an integer. */
    public static BigInteger whole(BigDecimal exactCount) {
        return orZero(exactCount).setScale(0, RoundingMode.HALF_UP).toBigIntegerExact();
    }

    private static BigDecimal round(BigDecimal value) {
        return value.setScale(2, RoundingMode.HALF_UP);
    }

    /** SUM over no rows is NULL in SQL. */
    private static BigDecimal orZero(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }
}
