package dev.callanalytics.ingest;

import java.util.List;

/**
 * What a write did with the calls it received: {@code received = inserted + updated + unchanged
 * + ignored + rejected}. Ignored calls were stale reports (a terminal call reported back as
 * initiated or answered); rejected ones were invalid, and {@code errors} lists the first of them.
 */
public record WriteSummary(long received,
                           long inserted,
                           long updated,
                           long unchanged,
                           long ignored,
                           long rejected,
                           List<LineError> errors) {

    /** An invalid input line: its number (1-based), its room_name when readable, and what is wrong. */
    public record LineError(long line, String roomName, String error) {
    }
}
