package dev.callanalytics.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.callanalytics.http.Echo;
import dev.callanalytics.http.Json;
import dev.callanalytics.ingest.CallParser.Invalid;
import dev.callanalytics.ingest.CallParser.Valid;
import dev.callanalytics.ingest.WriteSummary.LineError;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongConsumer;

/**
 * Imports newline-delimited JSON, one call record per line, in constant memory: each line is
 * parsed, validated and staged ({@link StagedCalls}, spooled to disk past a megabyte) as it
 * arrives, and only when the whole body has been read are the calls written, in one
 * transaction. By default all or nothing: one bad line and nothing is written (and no
 * connection is taken); {@link OnError#SKIP} writes the good lines. Either way every bad line is
 * counted, and the first {@value #MAX_LISTED_ERRORS} listed, each message cut to a few dozen
 * characters of what was sent.
 */
public final class NdjsonImport {

    /** Longest line accepted, in bytes: a call with a long transcript fits comfortably. */
    public static final int MAX_LINE_BYTES = 1 << 20;
    public static final int MAX_LISTED_ERRORS = 100;

    /** What a bad line does to the import. */
    public enum OnError {
        /** Nothing is written (the default). */
        ROLLBACK,
        /** The good lines are written, the bad ones reported. */
        SKIP
    }

    /** Exact decimals; and one JSON value per body or line: what follows it is an error, not ignored. */
    static final ObjectMapper JSON = Json.READER;

    private final CallWriter writer;

    /** About a millisecond of parsing, after which the carrier thread is offered to other requests. */
    private static final int YIELD_EVERY_LINES = 200;

    public NdjsonImport(CallWriter writer) {
        this.writer = writer;
    }

    /**
     * Reads {@code in} to its end and writes its calls to {@code account}; {@code progress} hears
     * the number of lines read so far, now and then, and {@code lineMemory} the bytes the longest
     * line so far needs in memory. A failure to read (the client went away) throws, and nothing
     * is written.
     */
    public WriteSummary run(UUID account, InputStream in, OnError onError, LongConsumer progress, LongConsumer lineMemory) {
        var errors = new ArrayList<LineError>();
        long received = 0;
        long rejected = 0;
        try (var staged = writer.stage()) {
            var lines = new LineReader(in, MAX_LINE_BYTES);
            while (lines.next()) {
                lineMemory.accept(lines.capacity());
                if (lines.isBlank()) {
                    continue;
                }
                received++;
                var problem = lines.tooLong()
                        ? new LineError(lines.number(), null, "line is longer than " + MAX_LINE_BYTES + " bytes")
                        : stage(staged, lines, onError == OnError.ROLLBACK && rejected > 0);
                if (problem != null) {
                    rejected++;
                    if (errors.size() < MAX_LISTED_ERRORS) {
                        errors.add(problem);
                    }
                }
                if (received % 10_000 == 0) {
                    progress.accept(received);
                }
                if (received % YIELD_EVERY_LINES == 0) {
                    // Parsing a body the client has already sent never blocks, and a virtual thread
                    // is not time-sliced: without this, a few large imports keep the server's other
                    // requests (and the connections they hold) off the CPU for as long as they parse.
                    Thread.yield();
                }
            }
            progress.accept(received);
            if (rejected > 0 && onError == OnError.ROLLBACK || staged.calls() == 0) {
                return new WriteSummary(received, 0, 0, 0, 0, rejected, List.copyOf(errors));
            }
            var written = writer.write(account, staged, CallWriter.Kind.IMPORT);
            return new WriteSummary(received, written.inserted(), written.updated(), written.unchanged(),
                                    written.ignored(), rejected, List.copyOf(errors));
        }
    }

    /** Validates a line and stages it unless the import is doomed anyway; a problem, or null. */
    private static LineError stage(StagedCalls staged, LineReader line, boolean doomed) {
        try {
            var parsed = CallParser.parse(JSON.readTree(line.bytes(), 0, line.length()), Optional.empty());
            return switch (parsed) {
                case Valid valid -> {
                    if (!doomed) {
                        staged.add(line.number(), valid.call());
                    }
                    yield null;
                }
                case Invalid invalid -> new LineError(line.number(), invalid.roomName() == null ? null : Echo.of(invalid.roomName(), 128),
                                                      String.join("; ", invalid.problems()));
            };
        } catch (JsonProcessingException e) {
            return new LineError(line.number(), null, "malformed JSON: " + Json.problem(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Splits a byte stream into lines (LF or CRLF), refusing to buffer more than a limit. */
    static final class LineReader {

        private final InputStream in;
        private final int limit;
        private final byte[] chunk = new byte[1 << 16];
        private int chunkStart;
        private int chunkEnd;
        private byte[] line = new byte[1 << 12];
        private int length;
        private boolean tooLong;
        private long number;
        private boolean eof;

        LineReader(InputStream in, int limit) {
            this.in = in;
            this.limit = limit;
        }

        /** Reads the next line; false at the end of the stream. */
        boolean next() {
            length = 0;
            tooLong = false;
            boolean any = false;
            while (true) {
                if (chunkStart == chunkEnd) {
                    if (eof || !fill()) {
                        if (any) {
                            number++;
                        }
                        return any;
                    }
                }
                any = true;
                int newline = -1;
                for (int i = chunkStart; i < chunkEnd; i++) {
                    if (chunk[i] == '\n') {
                        newline = i;
                        break;
                    }
                }
                int end = newline < 0 ? chunkEnd : newline;
                append(chunkStart, end);
                chunkStart = newline < 0 ? chunkEnd : newline + 1;
                if (newline >= 0) {
                    number++;
                    if (length > 0 && line[length - 1] == '\r') {
                        length--;
                    }
                    return true;
                }
            }
        }

        private boolean fill() {
            try {
                int read = in.read(chunk);
                if (read < 0) {
                    eof = true;
                    return false;
                }
                chunkStart = 0;
                chunkEnd = read;
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException("the input ended early: " + e.getMessage(), e);
            }
        }

        private void append(int from, int to) {
            int count = to - from;
            if (tooLong || length + count > limit) {
                tooLong = true;
                return;
            }
            if (length + count > line.length) {
                line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, length + count));
            }
            System.arraycopy(chunk, from, line, length, count);
            length += count;
        }

        long number() {
            return number;
        }

        /** Bytes this reader holds in memory: its read buffer and its longest line so far. */
        long capacity() {
            return chunk.length + line.length;
        }

        byte[] bytes() {
            return line;
        }

        int length() {
            return length;
        }

        boolean tooLong() {
            return tooLong;
        }

        boolean isBlank() {
            if (tooLong) {
                return false;
            }
            for (int i = 0; i < length; i++) {
                if (!Character.isWhitespace(line[i])) {
                    return false;
                }
            }
            return true;
        }
    }
}
