package dev.callanalytics.search;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.callanalytics.http.ApiException;
import dev.callanalytics.http.Echo;
import dev.callanalytics.http.Json;
import io.helidon.common.media.type.MediaType;
import io.helidon.common.media.type.MediaTypes;
import io.helidon.webserver.http.ServerRequest;
import org.jooq.Record;

import java.io.IOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The two shapes of an export: CSV (RFC 4180: a header row, CRLF line ends, quoted where a
 * cell needs it, and cells a spreadsheet would run as a formula neutralised) or NDJSON (one
 * JSON object a line, the call record's names and JSON values). Each writes the rows of
 * {@link SearchQueries#EXPORTED} one at a time: nothing is held beyond the row being written.
 */
enum ExportFormat {

    CSV("csv", MediaTypes.create("text", "csv")) {
        @Override
        RowWriter writer(Writer out) {
            return new RowWriter() {
                private final StringBuilder line = new StringBuilder(512);

                @Override
                public void header() throws IOException {
                    line.setLength(0);
                    for (int i = 0; i < SearchQueries.EXPORTED.size(); i++) {
                        cell(i, SearchQueries.EXPORTED.get(i).getName());
                    }
                    end();
                }

                @Override
                public void row(Record record) throws IOException {
                    line.setLength(0);
                    for (int i = 0; i < SearchQueries.EXPORTED.size(); i++) {
                        var value = record.get(i);
                        cell(i, value == null ? null : text(value));
                    }
                    end();
                }

                /** A null is an empty cell. */
                private void cell(int index, String value) {
                    if (index > 0) {
                        line.append(',');
                    }
                    if (value != null) {
                        line.append(csvCell(value));
                    }
                }

                private void end() throws IOException {
                    out.append(line.append("\r\n"));
                }

                @Override
                public void finish() throws IOException {
                    out.flush();
                }
            };
        }
    },

    NDJSON("ndjson", MediaTypes.create("application", "x-ndjson")) {
        @Override
        RowWriter writer(Writer out) throws IOException {
            JsonGenerator json = JSON_FACTORY.createGenerator(out);
            // one object a line: no separator between root values but the newline written below
            json.setRootValueSeparator(null);
            return new RowWriter() {
                @Override
                public void header() {
                    // NDJSON names the fields in every line
                }

                @Override
                public void row(Record record) throws IOException {
                    json.writeStartObject();
                    for (int i = 0; i < SearchQueries.EXPORTED.size(); i++) {
                        json.writeFieldName(SearchQueries.EXPORTED.get(i).getName());
                        var value = record.get(i);
                        switch (value) {
                            case null -> json.writeNull();
                            case BigDecimal decimal -> json.writeNumber(decimal);
                            case Integer integer -> json.writeNumber(integer);
                            default -> json.writeString(text(value));
                        }
                    }
                    json.writeEndObject();
                    json.writeRaw('\n');
                }

                @Override
                public void finish() throws IOException {
                    json.flush();
                }
            };
        }
    };

    private static final com.fasterxml.jackson.core.JsonFactory JSON_FACTORY =
            Json.mapper().getFactory().configure(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN, true)
                .configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);

    /** How a CSV cell that a spreadsheet would take for a formula starts (OWASP's list). */
    private static final String FORMULA_STARTS = "=+-@\t\r";

    private final String label;
    private final MediaType mediaType;

    ExportFormat(String label, MediaType mediaType) {
        this.label = label;
        this.mediaType = mediaType;
    }

    String label() {
        return label;
    }

    /** The Content-Type of the export, UTF-8 either way. */
    String contentType() {
        return mediaType.text() + "; charset=utf-8";
    }

    /** Writes the header (CSV's), then rows; {@link RowWriter#finish} flushes what is buffered. */
    abstract RowWriter writer(Writer out) throws IOException;

    interface RowWriter {
        void header() throws IOException;

        void row(Record record) throws IOException;

        void finish() throws IOException;
    }

    /**
     * {@code format=csv|ndjson} when given; otherwise the first of the two that Accept admits
     * (CSV for a client that accepts anything or says nothing); 406 when Accept admits neither.
     */
    static ExportFormat of(ServerRequest req, Optional<String> format) {
        if (format.isPresent()) {
            return switch (format.get().trim().toLowerCase(java.util.Locale.ROOT)) {
                case "csv" -> CSV;
                case "ndjson" -> NDJSON;
                default -> throw ApiException.badRequest("Invalid format '" + Echo.of(format.get()) + "': use csv or ndjson");
            };
        }
        var headers = req.headers();
        var admitted = List.of(CSV, NDJSON).stream().filter(f -> acceptsSafely(req, f)).toList();
        if (admitted.isEmpty()) {
            throw ApiException.notAcceptable("This endpoint answers text/csv or application/x-ndjson: send one of them in Accept,"
                                             + " or use format=csv or format=ndjson");
        }
        // the client's own preference when it states one (q-values), else CSV
        return headers.acceptedTypes().stream()
                      .flatMap(type -> admitted.stream().filter(f -> type.test(f.mediaType)))
                      .findFirst()
                      .orElse(admitted.getFirst());
    }

    private static boolean acceptsSafely(ServerRequest req, ExportFormat format) {
        try {
            return req.headers().isAccepted(format.mediaType)
                   || format == NDJSON && req.headers().isAccepted(MediaTypes.create("application", "ndjson"));
        } catch (RuntimeException e) {
            throw ApiException.badRequest("Malformed Accept header: use media types such as text/csv");
        }
    }

    /** A value as both formats write text: instants as the API's JSON writes them. */
    private static String text(Object value) {
        return switch (value) {
            case OffsetDateTime time -> Json.format(time.toInstant());
            case BigDecimal decimal -> decimal.toPlainString();
            default -> value.toString();
        };
    }

    /**
     * One CSV cell: a cell that starts like a formula gets a leading apostrophe (a spreadsheet
     * shows it as text and runs nothing), and a cell with a comma, quote or line break is quoted,
     * its quotes doubled. Phone numbers (+91...) come out as '+91...: text, as they are.
     */
    static String csvCell(String value) {
        var cell = !value.isEmpty() && FORMULA_STARTS.indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
        for (int i = 0; i < cell.length(); i++) {
            char c = cell.charAt(i);
            if (c == ',' || c == '"' || c == '\r' || c == '\n') {
                return '"' + cell.replace("\"", "\"\"") + '"';
            }
        }
        return cell;
    }
}
