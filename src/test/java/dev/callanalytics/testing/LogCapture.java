package dev.callanalytics.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** What a logger (and its children) publishes while open: {@code try (var logs = LogCapture.of("")) {...}}. */
public final class LogCapture extends Handler implements AutoCloseable {

    private final Logger logger;
    private final Level level;
    private final List<String> messages = new ArrayList<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
        this.level = logger.getLevel();
        logger.setLevel(Level.INFO);
        logger.addHandler(this);
    }

    /** Captures {@code loggerName} ("" for every logger) at INFO and above. */
    public static LogCapture of(String loggerName) {
        return new LogCapture(Logger.getLogger(loggerName));
    }

    @Override
    public synchronized void publish(LogRecord record) {
        messages.add(record.getLoggerName() + " " + record.getMessage() + (record.getThrown() == null ? "" : " " + record.getThrown()));
    }

    /** The messages so far, each as "logger message [exception]". */
    public synchronized List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(level);
    }
}
