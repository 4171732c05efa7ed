package dev.callanalytics.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import dev.callanalytics.http.ApiException;
import dev.callanalytics.http.DateRange;
import dev.callanalytics.http.Echo;
import dev.callanalytics.http.Zones;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code POST /analytics/query}: dimensions, measures, filters, a range and a time zone, parsed
 * and validated into fixed terms. Every name of the request maps through one of the tables
 * below to a {@link Dimension} or an output; nothing of the request reaches SQL as a name, and
 * values only as bound or escaped values. A 400 names the part that is wrong.
 */
public record TypedQuery(DateRange range,
                         ZoneId zone,
                         Optional<Granularity> step,
                         List<Dimension<?>> groupBy,
                         List<Output> outputs,
                         Map<Dimension<?>, List<Object>> filters,
                         Bounds minutes,
                         Bounds cost,
                         int limit) {

    public static final int DEFAULT_LIMIT = 1_000;
    public static final int MAX_LIMIT = 10_000;
    private static final int MAX_VALUES = 100;
    private static final int MAX_TEXT = 200;

    /** What the request may group by, as it names each. */
    static final Map<String, Dimension<?>> GROUPS = ordered(
            "assistant", Dimension.ASSISTANT, "phone_number", Dimension.PHONE_BUCKET, "service", Dimension.SERVICE,
            "status", Dimension.STATUS, "type", Dimension.TYPE, "end_reason", Dimension.END_REASON);
    /** What the request may filter on, as it names each (the call record's field names). */
    static final Map<String, Dimension<?>> FILTERS = ordered(
            "assistant_id", Dimension.ASSISTANT, "phone_number", Dimension.PHONE_BUCKET, "service", Dimension.SERVICE,
            "call_status", Dimension.STATUS, "call_type", Dimension.TYPE, "end_reason", Dimension.END_REASON);
    private static final Set<String> FIELDS = Set.of("start_date", "end_date", "timezone", "step", "group_by", "measures", "filters",
                                                     "limit");
    private static final Set<String> RANGES = Set.of("min_minutes", "max_minutes", "min_cost", "max_cost");

    /** A measure of the answer: how it is computed, and whether only the raw calls have it. */
    public enum Output {
        CALLS("calls", false), MINUTES("minutes", false), BILLABLE_MINUTES("billable_minutes", false), COST("cost", false),
        AVG_MINUTES("avg_minutes", false), AVG_COST("avg_cost", false),
        MIN_MINUTES("min_minutes", true), MAX_MINUTES("max_minutes", true), MIN_COST("min_cost", true), MAX_COST("max_cost", true),
        P50_MINUTES("p50_minutes", true), P90_MINUTES("p90_minutes", true), P99_MINUTES("p99_minutes", true);

        private final String label;
        private final boolean rawOnly;

        Output(String label, boolean rawOnly) {
            this.label = label;
            this.rawOnly = rawOnly;
        }

        public String label() {
            return label;
        }

        boolean rawOnly() {
            return rawOnly;
        }

        static Optional<Output> named(String name) {
            for (var output : values()) {
                if (output.label.equals(name)) {
                    return Optional.of(output);
                }
            }
            return Optional.empty();
        }
    }

    /** A range on a measure of each call (its minutes or cost), either end optional, both included. */
    public record Bounds(Optional<BigDecimal> min, Optional<BigDecimal> max) {

        static final Bounds NONE = new Bounds(Optional.empty(), Optional.empty());

        boolean any() {
            return min.isPresent() || max.isPresent();
        }
    }

    /** Whether the raw calls must answer: an output or a filter that the pre-aggregations do not keep. */
    boolean rawOnly() {
        return minutes.any() || cost.any() || outputs.stream().anyMatch(Output::rawOnly);
    }

    /** Parses a request body; {@code fallbackZone} is the account's. */
    public static TypedQuery parse(JsonNode body, ZoneId fallbackZone, Instant now) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("The query must be a JSON object");
        }
        body.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                throw ApiException.badRequest("Unknown field '" + Echo.of(name) + "': a query has " + String.join(", ", sorted(FIELDS)));
            }
        });
        var zone = text(body, "timezone").map(Zones::parameter).orElse(fallbackZone);
        var range = DateRange.forAnalytics(text(body, "start_date"), text(body, "end_date"), now, zone);
        var step = text(body, "step").map(TypedQuery::step);
        var groupBy = new ArrayList<Dimension<?>>();
        for (var name : names(body, "group_by", 6)) {
            var dimension = named(GROUPS, "group_by", name);
            if (groupBy.contains(dimension)) {
                throw ApiException.badRequest("group_by: '" + Echo.of(name) + "' is there twice");
            }
            groupBy.add(dimension);
        }
        var outputs = new ArrayList<Output>();
        var measures = names(body, "measures", Output.values().length);
        for (var name : measures.isEmpty() ? List.of("calls", "minutes") : measures) {
            var output = Output.named(name).orElseThrow(() -> ApiException.badRequest(
                    "measures: '" + Echo.of(name) + "' is not one of " + String.join(", ", labels())));
            if (outputs.contains(output)) {
                throw ApiException.badRequest("measures: '" + Echo.of(name) + "' is there twice");
            }
            outputs.add(output);
        }
        var filters = new LinkedHashMap<Dimension<?>, List<Object>>();
        var minutes = Bounds.NONE;
        var cost = Bounds.NONE;
        var filter = body.get("filters");
        if (filter != null && !filter.isNull()) {
            if (!filter.isObject()) {
                throw ApiException.badRequest("filters: must be an object, such as {\"call_status\": [\"completed\"], \"min_minutes\": 1}");
            }
            for (var it = filter.fields(); it.hasNext(); ) {
                var entry = it.next();
                var name = entry.getKey();
                if (RANGES.contains(name)) {
                    continue;
                }
                var dimension = named(FILTERS, "filters", name);
                filters.put(dimension, values("filters." + name, entry.getValue(), dimension == Dimension.ASSISTANT));
            }
            minutes = new Bounds(number(filter, "min_minutes"), number(filter, "max_minutes"));
            cost = new Bounds(number(filter, "min_cost"), number(filter, "max_cost"));
        }
        int limit = DEFAULT_LIMIT;
        var rawLimit = body.get("limit");
        if (rawLimit != null && !rawLimit.isNull()) {
            if (!rawLimit.canConvertToInt() || !rawLimit.isIntegralNumber() || rawLimit.intValue() < 1 || rawLimit.intValue() > MAX_LIMIT) {
                throw ApiException.badRequest("limit: must be an integer from 1 to " + MAX_LIMIT + ", got " + Echo.of(rawLimit.toString()));
            }
            limit = rawLimit.intValue();
        }
        return new TypedQuery(range, zone, step, List.copyOf(groupBy), List.copyOf(outputs), filters, minutes, cost, limit);
    }

    private static Granularity step(String raw) {
        for (var granularity : Granularity.values()) {
            if (granularity.label().equals(raw)) {
                return granularity;
            }
        }
        throw ApiException.badRequest("step: '" + Echo.of(raw) + "' is not one of hour, day, week, month, quarter, year");
    }

    private static Optional<String> text(JsonNode body, String name) {
        var node = body.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest(name + ": must be a string, got " + Echo.of(node.toString()));
        }
        return Optional.of(node.textValue()).filter(value -> !value.isEmpty());
    }

    private static List<String> names(JsonNode body, String name, int max) {
        var node = body.get(name);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > max) {
            throw ApiException.badRequest(name + ": must be an array of at most " + max + " names");
        }
        var names = new ArrayList<String>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
                throw ApiException.badRequest(name + "[" + i + "]: must be a name, got " + Echo.of(node.get(i).toString()));
            }
            names.add(node.get(i).textValue());
        }
        return names;
    }

    private static Dimension<?> named(Map<String, Dimension<?>> table, String part, String name) {
        var dimension = table.get(name);
        if (dimension == null) {
            throw ApiException.badRequest(part + ": '" + Echo.of(name) + "' is not one of " + String.join(", ", table.keySet())
                                          + (part.equals("filters") ? ", min_minutes, max_minutes, min_cost, max_cost" : ""));
        }
        return dimension;
    }

    /** The values a filter admits: strings (UUIDs for assistant_id), at least one, at most a hundred. */
    private static List<Object> values(String part, JsonNode node, boolean uuids) {
        if (!node.isArray() || node.isEmpty() || node.size() > MAX_VALUES) {
            throw ApiException.badRequest(part + ": must be an array of 1 to " + MAX_VALUES + " values");
        }
        var values = new ArrayList<Object>();
        for (int i = 0; i < node.size(); i++) {
            var value = node.get(i);
            var where = part + "[" + i + "]";
            if (!value.isTextual() || value.textValue().length() > MAX_TEXT) {
                throw ApiException.badRequest(where + ": must be a string of at most " + MAX_TEXT + " characters");
            }
            var unstorable = Echo.unstorable(value.textValue());
            if (unstorable != null) {
                throw ApiException.badRequest(where + ": " + unstorable);
            }
            if (uuids) {
                try {
                    values.add(UUID.fromString(value.textValue()));
                } catch (IllegalArgumentException e) {
                    throw ApiException.badRequest(where + ": '" + Echo.of(value.textValue()) + "' is not a UUID");
                }
            } else {
                values.add(value.textValue());
            }
        }
        return values;
    }

    private static Optional<BigDecimal> number(JsonNode filters, String name) {
        var node = filters.get(name);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isNumber()) {
            throw ApiException.badRequest("filters." + name + ": must be a number, got " + Echo.of(node.toString()));
        }
        var value = node.decimalValue();
        if (value.signum() < 0 || value.precision() - value.scale() > 12 || value.scale() > 20) {
            throw ApiException.badRequest("filters." + name + ": must be at least 0 and below 1e12, with at most 20 decimals");
        }
        return Optional.of(value);
    }

    private static List<String> labels() {
        var labels = new ArrayList<String>();
        for (var output : Output.values()) {
            labels.add(output.label());
        }
        return labels;
    }

    private static List<String> sorted(Set<String> names) {
        return names.stream().sorted().toList();
    }

    /** A map that keeps the order it is written in, so that messages list the names as documented. */
    private static Map<String, Dimension<?>> ordered(Object... pairs) {
        var map = new LinkedHashMap<String, Dimension<?>>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], (Dimension<?>) pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
