package dev.callanalytics.ingest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.function.LongConsumer;

/**
 * The progress line of a command-line import on a terminal: a bar when the size of the input is
 * known, the calls read so far and the rate, redrawn at most a few times a second.
 */
public final class ImportProgress implements LongConsumer {

    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final long totalBytes;
    private final long started = System.nanoTime();
    private long lastDrawn;
    private long bytesRead;

    /** @param totalBytes the input's size, or -1 when unknown (standard input) */
    public ImportProgress(PrintWriter out, long totalBytes) {
        this.out = out;
        this.totalBytes = totalBytes;
    }

    /** The input, counted as it is read. */
    public InputStream track(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                bytesRead += b < 0 ? 0 : 1;
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                bytesRead += Math.max(n, 0);
                return n;
            }
        };
    }

    @Override
    public void accept(long lines) {
        long now = System.nanoTime();
        if (now - lastDrawn < 200_000_000L) {
            return;
        }
        lastDrawn = now;
        double seconds = Math.max((now - started) / 1e9, 1e-3);
        var line = new StringBuilder("\r");
        if (totalBytes > 0) {
            int filled = (int) Math.min(WIDTH, WIDTH * bytesRead / totalBytes);
            line.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ")
                .append(String.format("%3d%% ", 100 * bytesRead / totalBytes));
        }
        line.append(String.format("%,d calls read, %,.0f calls/s ", lines, lines / seconds));
        out.print(line);
        out.flush();
    }

    /** Ends the progress line, so that what follows starts on a line of its own. */
    public void finish() {
        out.println();
    }
}
