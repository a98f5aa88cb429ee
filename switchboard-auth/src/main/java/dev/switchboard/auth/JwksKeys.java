package dev.switchboard.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signing keys served at {@code jwt.jwks_url}, cached. The first use fetches them (the caller
 * waits). Once they are older than {@code jwt.jwks_refresh_seconds} a use starts a refresh on a
 * virtual thread and goes on with the cached keys. A token whose key is not in the cache (a new
 * {@code kid} after a rotation) makes the caller fetch at once. Fetches of any kind are at least
 * {@code jwt.jwks_min_refresh_seconds} apart, so that tokens with made-up key ids cannot turn us
 * into a flood against the key server. A failed fetch keeps the cached keys.
 */
final class JwksKeys {

  private static final Logger log = LoggerFactory.getLogger(JwksKeys.class);

  /** A key from the set with its verifier, built once per fetch. */
  private record VerifyingKey(JWK jwk, JWSVerifier verifier) {}

  /** What the last fetches gave; {@link Instant#MIN} stands for never. */
  private record Snapshot(List<VerifyingKey> keys, Instant loadedAt, Instant attemptedAt) {}

  private final URI url;
  private final JwksFetcher fetcher;
  private final Clock clock;
  private final Duration refresh;
  private final Duration minInterval;

  /**
   * Held while fetching: callers who all miss the same key wait for one fetch instead of each
   * making one.
   */
  private final ReentrantLock fetchLock = new ReentrantLock();

  /** True while a background refresh is under way. */
  private final AtomicBoolean refreshing = new AtomicBoolean();

  /** Replaced whole, only while holding {@link #fetchLock}; read by any thread without it. */
  private volatile Snapshot current = new Snapshot(List.of(), Instant.MIN, Instant.MIN);

  JwksKeys(URI url, JwtConfig config) {
    this.url = url;
    this.fetcher = new JwksFetcher(url, config.httpClient(), config.jwksTimeout());
    this.clock = config.clock();
    this.refresh = config.jwksRefresh();
    this.minInterval = config.jwksMinRefreshInterval();
  }

  URI url() {
    return url;
  }

  /** Whether any usable key has been fetched. */
  boolean hasKeys() {
    return !current.keys().isEmpty();
  }

  /**
   * Verifiers of the keys that fit the header's algorithm and key id; fetches first if none is
   * cached.
   */
  List<JWSVerifier> select(JWSHeader header) {
    Snapshot seen = current;
    Instant now = clock.instant();
    if (!seen.keys().isEmpty()
        && !now.isBefore(seen.loadedAt().plus(refresh))
        && mayFetch(seen, now)) {
      refreshInBackground();
    }
    List<JWSVerifier> found = matching(seen, header);
    return found.isEmpty() ? matching(fetch(seen), header) : found;
  }

  private void refreshInBackground() {
    if (refreshing.compareAndSet(false, true)) {
      Thread.ofVirtual()
          .name("jwks-refresh")
          .start(
              () -> {
                try {
                  fetch(current);
                } finally {
                  refreshing.set(false);
                }
              });
    }
  }

  /**
   * Fetches unless another thread has done so since {@code seen} was read, or the last try is too
   * recent.
   */
  private Snapshot fetch(Snapshot seen) {
    fetchLock.lock();
    try {
      Snapshot latest = current;
      if (latest != seen || !mayFetch(latest, clock.instant())) {
        return latest;
      }
      current = load(latest);
      return current;
    } finally {
      fetchLock.unlock();
    }
  }

  private boolean mayFetch(Snapshot snapshot, Instant now) {
    return !now.isBefore(snapshot.attemptedAt().plus(minInterval));
  }

  private Snapshot load(Snapshot previous) {
    Instant started = clock.instant();
    try {
      List<VerifyingKey> keys = usable(fetcher.fetch().getKeys());
      List<String> kids =
          keys.stream().map(k -> Objects.toString(k.jwk().getKeyID(), "(no kid)")).toList();
      if (kids.equals(
          previous.keys().stream()
              .map(k -> Objects.toString(k.jwk().getKeyID(), "(no kid)"))
              .toList())) {
        log.debug("JWKS from {} fetched again, unchanged: kids {}", url, kids);
      } else {
        log.info("JWKS from {} loaded: {} signing key(s), kids {}", url, keys.size(), kids);
      }
      return new Snapshot(keys, started, started);
    } catch (IOException | RuntimeException e) {
      log.warn(
          "JWKS fetch from {} failed: {}; keeping {} cached key(s)",
          url,
          e.getMessage(),
          previous.keys().size());
      return new Snapshot(previous.keys(), previous.loadedAt(), started);
    }
  }

  /** The RSA (2048 bits or more) and EC keys meant for signatures, each with its verifier. */
  private List<VerifyingKey> usable(List<JWK> keys) {
    List<VerifyingKey> result = new ArrayList<>();
    for (JWK jwk : keys) {
      if (KeyUse.ENCRYPTION.equals(jwk.getKeyUse())) {
        continue;
      }
      try {
        if (jwk instanceof RSAKey rsa && rsa.size() < PemPublicKey.MIN_RSA_BITS) {
          log.warn(
              "JWKS from {}: key {} skipped: {}-bit RSA, at least {} required",
              url,
              jwk.getKeyID(),
              rsa.size(),
              PemPublicKey.MIN_RSA_BITS);
        } else if (jwk instanceof RSAKey rsa) {
          result.add(new VerifyingKey(rsa.toPublicJWK(), new RSASSAVerifier(rsa.toPublicJWK())));
        } else if (jwk instanceof ECKey ec) {
          result.add(new VerifyingKey(ec.toPublicJWK(), new ECDSAVerifier(ec.toPublicJWK())));
        } else {
          log.debug(
              "JWKS from {}: key {} of type {} skipped", url, jwk.getKeyID(), jwk.getKeyType());
        }
      } catch (JOSEException e) {
        log.warn("JWKS from {}: key {} skipped: {}", url, jwk.getKeyID(), e.getMessage());
      }
    }
    return List.copyOf(result);
  }

  private static List<JWSVerifier> matching(Snapshot snapshot, JWSHeader header) {
    JWSAlgorithm alg = header.getAlgorithm();
    JWKMatcher.Builder match =
        new JWKMatcher.Builder()
            .keyType(KeyType.forAlgorithm(alg))
            .keyUses(KeyUse.SIGNATURE, null)
            .algorithms(alg, null);
    if (header.getKeyID() != null) {
      match.keyID(header.getKeyID());
    }
    if (Algorithms.EC.contains(alg)) {
      match.curves(Curve.forJWSAlgorithm(alg));
    }
    JWKMatcher matcher = match.build();
    return snapshot.keys().stream()
        .filter(k -> matcher.matches(k.jwk()))
        .map(VerifyingKey::verifier)
        .toList();
  }
}
