package dev.callanalytics.auth;

import java.util.Set;
import java.util.UUID;

/** Who is calling: the account of the Bearer key, and what that key may do. */
public record Caller(UUID accountId, Set<Scope> scopes) {
}
