package dev.callanalytics.http;

import java.io.IOException;
import java.io.UncheckedIOException;

/** A request body that stopped arriving, or arrived too slowly to be waited for: a 408. */
public final class BodyTimeout extends UncheckedIOException {

    public BodyTimeout(String message) {
        super(message, new IOException(message));
    }
}
