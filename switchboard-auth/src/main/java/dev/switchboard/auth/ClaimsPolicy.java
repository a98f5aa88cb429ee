package dev.switchboard.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * Checks the claims of a token whose signature has verified, and turns them into an {@link
 * Identity}.
 */
final class ClaimsPolicy {

  private final Optional<String> issuer;
  private final Optional<String> audience;
  private final Duration leeway;
  private final boolean requireExpiry;
  private final Clock clock;

  ClaimsPolicy(JwtConfig config) {
    this.issuer = config.issuer();
    this.audience = config.audience();
    this.leeway = config.leeway();
    this.requireExpiry = config.requireExpiry();
    this.clock = config.clock();
  }

  Identity identity(JWTClaimsSet claims) {
    Optional<Instant> expiresAt = checkTimes(claims, clock.instant());
    issuer.ifPresent(
        expected -> {
          if (!expected.equals(claims.getIssuer())) {
            throw new AuthException(
                AuthFailure.WRONG_ISSUER,
                "token issuer "
                    + describe(claims.getIssuer())
                    + " is not jwt.issuer "
                    + AuthException.quote(expected));
          }
        });
    audience.ifPresent(
        expected -> {
          if (!claims.getAudience().contains(expected)) {
            throw new AuthException(
                AuthFailure.WRONG_AUDIENCE,
                "token audience "
                    + claims.getAudience().stream().map(AuthException::quote).toList()
                    + " does not contain jwt.audience "
                    + AuthException.quote(expected));
          }
        });
    String subject = claims.getSubject();
    if (subject == null || subject.isBlank()) {
      throw new AuthException(AuthFailure.MISSING_SUBJECT, "token has no sub claim");
    }
    return new Identity(
        subject, roles(claims.getClaim("roles")), tenant(claims.getClaim("tenant_id")), expiresAt);
  }

  private Optional<Instant> checkTimes(JWTClaimsSet claims, Instant now) {
    Optional<Instant> exp = instant(claims.getExpirationTime());
    if (exp.isEmpty() && requireExpiry) {
      throw new AuthException(AuthFailure.EXPIRED, "token has no exp claim; tokens must expire");
    }
    if (exp.isPresent() && !now.isBefore(exp.get().plus(leeway))) {
      throw new AuthException(AuthFailure.EXPIRED, "token expired at " + exp.get() + skew(now));
    }
    Optional<Instant> nbf = instant(claims.getNotBeforeTime());
    if (nbf.isPresent() && now.isBefore(nbf.get().minus(leeway))) {
      throw new AuthException(
          AuthFailure.NOT_YET_VALID, "token is not valid before " + nbf.get() + skew(now));
    }
    Optional<Instant> iat = instant(claims.getIssueTime());
    if (iat.isPresent() && iat.get().minus(leeway).isAfter(now)) {
      throw new AuthException(
          AuthFailure.ISSUED_IN_FUTURE, "token was issued at " + iat.get() + skew(now));
    }
    return exp;
  }

  private String skew(Instant now) {
    return " (now " + now + ", leeway " + Settings.show(leeway) + " s)";
  }

  private static Optional<Instant> instant(Date date) {
    return Optional.ofNullable(date).map(Date::toInstant);
  }

  private static String describe(String claim) {
    return claim == null ? "(none)" : AuthException.quote(claim);
  }

  private static List<String> roles(Object claim) {
    if (claim == null) {
      return List.of();
    }
    if (claim instanceof String role) {
      return List.of(role);
    }
    if (claim instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
      return list.stream().map(String.class::cast).toList();
    }
    throw new AuthException(
        AuthFailure.MALFORMED, "token roles claim must be a string or an array of strings");
  }

  private static Optional<String> tenant(Object claim) {
    if (claim == null) {
      return Optional.empty();
    }
    if (claim instanceof String tenant && !tenant.isBlank()) {
      return Optional.of(tenant);
    }
    throw new AuthException(
        AuthFailure.MALFORMED, "token tenant_id claim must be a non-blank string");
  }
}
