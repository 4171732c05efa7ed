package dev.callanalytics.ingest;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/**
 * The progress of a command-line import on a terminal, drawn by the progressbar library: the
 * megabytes of the file read (a bar when its size is known), the rate, the time left, and the
 * calls read so far.
 */
public final class ImportProgress implements LongConsumer, AutoCloseable {

    private final ProgressBar bar;

    /** @param totalBytes the input's size, or -1 when unknown (standard input) */
    public ImportProgress(long totalBytes) {
        this.bar = new ProgressBarBuilder().setTaskName("import")
                                           .setInitialMax(totalBytes)
                                           .setUnit(" MiB", 1 << 20)
                                           .setStyle(ProgressBarStyle.ASCII)
                                           .setUpdateIntervalMillis(250)
                                           .showSpeed()
                                           .build();
    }

    /** The input, counted as it is read. */
    public InputStream track(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    bar.step();
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                if (n > 0) {
                    bar.stepBy(n);
                }
                return n;
            }
        };
    }

    /** The calls read so far, shown beside the bar. */
    @Override
    public void accept(long calls) {
        bar.setExtraMessage(String.format(" %,d calls", calls));
    }

    /** Draws the bar a last time and ends its line. */
    @Override
    public void close() {
        bar.close();
    }
}
