package dev.callanalytics.auth;

import java.util.Locale;

/** What an API key may do. */
public enum Scope {
    /** The analytics and call-log endpoints. */
    READ,
    /** Writing calls. */
    INGEST,
    /** The operator's analytics across every account (/admin/analytics); nothing else. */
    ADMIN;

    /** The name stored in {@code api_keys.scopes} and typed on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Scope fromLabel(String label) {
        for (var scope : values()) {
            if (scope.label().equals(label.trim().toLowerCase(Locale.ROOT))) {
                return scope;
            }
        }
        throw new IllegalArgumentException("unknown scope '" + label + "': use read, ingest or admin");
    }
}
