package dev.switchboard.auth;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who is connected: taken from a verified token's claims, or made up in development mode with
 * {@link #anonymous(String)}.
 *
 * @param userId the {@code sub} claim; never blank
 * @param roles the {@code roles} claim (an array of strings, or one string); empty when absent;
 *     unmodifiable
 * @param tenantId the {@code tenant_id} claim, when present
 * @param expiresAt the {@code exp} claim, when present; the server may close the connection then
 */
public record Identity(
    String userId, List<String> roles, Optional<String> tenantId, Optional<Instant> expiresAt) {

  /** Checks every component; {@code roles} is copied. */
  public Identity {
    Objects.requireNonNull(userId, "userId");
    if (userId.isBlank()) {
      throw new IllegalArgumentException("userId must not be blank");
    }
    roles = List.copyOf(Objects.requireNonNull(roles, "roles"));
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /**
   * The identity given to every connection when authentication is switched off (development mode):
   * no roles, no tenant, no expiry.
   *
   * @throws IllegalArgumentException if {@code id} is blank
   */
  public static Identity anonymous(String id) {
    return new Identity(id, List.of(), Optional.empty(), Optional.empty());
  }

  /** Whether {@link #roles()} contains {@code role} (case-sensitive). */
  public boolean hasRole(String role) {
    return roles.contains(Objects.requireNonNull(role, "role"));
  }
}
