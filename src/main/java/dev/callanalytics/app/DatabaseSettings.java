package dev.callanalytics.app;

/** Where the database is and how many connections the server may hold to it. */
public record DatabaseSettings(String url, String user, String password, int poolSize) {
}
