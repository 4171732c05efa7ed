package dev.callanalytics.auth;

import java.time.ZoneId;
import java.util.Set;
import java.util.UUID;

/**
 * Who is calling: the account of the Bearer key, what that key may do, and the account's time
 * zone, which its analytics are taken in when a request names none.
 */
public record Caller(UUID accountId, Set<Scope> scopes, ZoneId timezone) {
}
