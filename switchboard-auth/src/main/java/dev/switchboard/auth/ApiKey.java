package dev.switchboard.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * The key a backend presents to the HTTP API. Only its SHA-256 digest is kept, and {@link
 * #matches(String)} compares digests with {@link MessageDigest#isEqual}, so the comparison takes
 * the same time whatever the presented key is, its length included. {@link #toString()} never shows
 * the key. Immutable and thread-safe.
 */
public final class ApiKey {

  /** Shortest key accepted, in characters: shorter keys are guessable. */
  public static final int MIN_LENGTH = 16;

  private final byte[] digest;
  private final String secret;

  private ApiKey(byte[] digest, String secret) {
    this.digest = digest;
    this.secret = secret;
  }

  /**
   * The configured key ({@code api_key}).
   *
   * @throws IllegalArgumentException if it is blank, shorter than {@value #MIN_LENGTH} characters,
   *     or has leading or trailing whitespace (usually a stray newline from a file)
   */
  public static ApiKey of(String key) {
    Objects.requireNonNull(key, "api_key");
    if (key.isBlank()) {
      throw new IllegalArgumentException("api_key must not be blank");
    }
    if (key.length() < MIN_LENGTH) {
      throw new IllegalArgumentException(
          "api_key is " + key.length() + " characters; at least " + MIN_LENGTH + " are required");
    }
    if (!key.strip().equals(key)) {
      throw new IllegalArgumentException("api_key must not have leading or trailing whitespace");
    }
    return new ApiKey(sha256(key), key);
  }

  /**
   * Whether {@code presented} is this key, compared in constant time.
   *
   * @throws NullPointerException if {@code presented} is null: an absent key is the caller's to
   *     refuse
   */
  public boolean matches(String presented) {
    Objects.requireNonNull(presented, "presented");
    return MessageDigest.isEqual(digest, sha256(presented));
  }

  /**
   * The key itself, for presenting it to another server (a cluster node's links to the others).
   * Never log it.
   */
  public String secret() {
    return secret;
  }

  @Override
  public String toString() {
    return "ApiKey[redacted]";
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
