package dev.switchboard.auth;

import com.nimbusds.jose.JWSAlgorithm;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How device tokens are verified. Immutable and thread-safe; build with {@link #builder()}. At
 * least one key source is required: {@code jwt.secret} (HMAC), {@code jwt.public_key} (RSA or EC
 * PEM) or {@code jwt.jwks_url}. Errors name the setting as users write it in the configuration file
 * ({@code jwt.leeway_seconds}, ...), with the offending value and the limit; they never show the
 * secret. {@link #toString()} hides the secret too.
 */
public final class JwtConfig {

  /** Shortest {@code jwt.secret}, in UTF-8 bytes (256 bits, RFC 7518 §3.2). */
  public static final int MIN_SECRET_BYTES = 32;

  /** Largest {@code jwt.leeway_seconds}: more would make {@code exp} meaningless. */
  public static final Duration MAX_LEEWAY = Duration.ofMinutes(10);

  private final byte[] secret; // empty when not configured
  private final Optional<PublicKey> publicKey;
  private final Optional<URI> jwksUrl;
  private final Set<JWSAlgorithm> algorithms;
  private final Optional<String> issuer;
  private final Optional<String> audience;
  private final Duration leeway;
  private final boolean requireExpiry;
  private final Duration jwksRefresh;
  private final Duration jwksMinRefreshInterval;
  private final Duration jwksTimeout;
  private final Clock clock;
  private final Optional<HttpClient> httpClient;

  private JwtConfig(Builder b, Set<JWSAlgorithm> algorithms) {
    this.secret = b.secret.clone();
    this.publicKey = b.publicKey;
    this.jwksUrl = b.jwksUrl;
    this.algorithms = Set.copyOf(algorithms);
    this.issuer = b.issuer;
    this.audience = b.audience;
    this.leeway = b.leeway;
    this.requireExpiry = b.requireExpiry;
    this.jwksRefresh = b.jwksRefresh;
    this.jwksMinRefreshInterval =
        b.jwksMinRefreshInterval.compareTo(b.jwksRefresh) < 0
            ? b.jwksMinRefreshInterval
            : b.jwksRefresh;
    this.jwksTimeout = b.jwksTimeout;
    this.clock = b.clock;
    this.httpClient = b.httpClient;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Whether {@code jwt.secret} is set (its value is not readable). */
  public boolean hasSecret() {
    return secret.length > 0;
  }

  /** {@code jwt.public_key}, parsed: an RSA key, or an EC key on P-256, P-384 or P-521. */
  public Optional<PublicKey> publicKey() {
    return publicKey;
  }

  /** {@code jwt.jwks_url}: where the JSON Web Key Set is fetched. */
  public Optional<URI> jwksUrl() {
    return jwksUrl;
  }

  /**
   * {@code jwt.algorithms}: the accepted {@code alg} header values. Default: what the keys support,
   * i.e. HS256, HS384 and HS512 for a secret long enough for each, RS256 for an RSA key,
   * ES256/ES384/ES512 for an EC key on the matching curve, and RS256 and ES256 for a JWKS URL.
   */
  public Set<String> algorithms() {
    return algorithms.stream().map(JWSAlgorithm::getName).collect(Collectors.toUnmodifiableSet());
  }

  /** {@code jwt.issuer}: when set, the {@code iss} claim must equal it. */
  public Optional<String> issuer() {
    return issuer;
  }

  /** {@code jwt.audience}: when set, the {@code aud} claim must contain it. */
  public Optional<String> audience() {
    return audience;
  }

  /**
   * {@code jwt.leeway_seconds}: clock skew allowed on {@code exp}, {@code nbf} and {@code iat}.
   * Default 30 s.
   */
  public Duration leeway() {
    return leeway;
  }

  /**
   * Whether a token without {@code exp} is refused. Default true; only code that embeds the
   * verifier turns it off ({@code switchboard serve} has no setting for it).
   */
  public boolean requireExpiry() {
    return requireExpiry;
  }

  /**
   * {@code jwt.jwks_refresh_seconds}: age after which the key set is fetched again. Default 5 min.
   */
  public Duration jwksRefresh() {
    return jwksRefresh;
  }

  /**
   * {@code jwt.jwks_min_refresh_seconds}: least time between two fetches, even for unknown keys; at
   * most {@link #jwksRefresh()}. Default 30 s.
   */
  public Duration jwksMinRefreshInterval() {
    return jwksMinRefreshInterval;
  }

  /** {@code jwt.jwks_timeout_seconds}: how long one fetch of the key set may take. Default 5 s. */
  public Duration jwksTimeout() {
    return jwksTimeout;
  }

  /** The time against which tokens are checked. Default: the system clock (UTC). */
  public Clock clock() {
    return clock;
  }

  /** The client fetching the key set; by default each verifier makes its own. */
  public Optional<HttpClient> httpClient() {
    return httpClient;
  }

  byte[] secretBytes() {
    return secret.clone();
  }

  Set<JWSAlgorithm> allowedAlgorithms() {
    return algorithms;
  }

  @Override
  public String toString() {
    return "JwtConfig{secret="
        + (hasSecret() ? "<redacted>" : "<none>")
        + ", publicKey="
        + publicKey.map(PublicKey::getAlgorithm).orElse("<none>")
        + ", jwksUrl="
        + jwksUrl.map(URI::toString).orElse("<none>")
        + ", algorithms="
        + Algorithms.names(algorithms)
        + ", issuer="
        + issuer.orElse("<any>")
        + ", audience="
        + audience.orElse("<any>")
        + ", leeway="
        + leeway
        + ", requireExpiry="
        + requireExpiry
        + "}";
  }

  /**
   * Builds a {@link JwtConfig}; setters check their own value, {@link #build()} checks how they
   * combine.
   */
  public static final class Builder {
    private byte[] secret = new byte[0];
    private Optional<PublicKey> publicKey = Optional.empty();
    private Optional<URI> jwksUrl = Optional.empty();
    private Optional<Set<String>> algorithms = Optional.empty();
    private Optional<String> issuer = Optional.empty();
    private Optional<String> audience = Optional.empty();
    private Duration leeway = Duration.ofSeconds(30);
    private boolean requireExpiry = true;
    private Duration jwksRefresh = Duration.ofMinutes(5);
    private Duration jwksMinRefreshInterval = Duration.ofSeconds(30);
    private Duration jwksTimeout = Duration.ofSeconds(5);
    private Clock clock = Clock.systemUTC();
    private Optional<HttpClient> httpClient = Optional.empty();

    private Builder() {}

    /** The HMAC secret, used as its UTF-8 bytes; at least {@value #MIN_SECRET_BYTES} bytes. */
    public Builder secret(String value) {
      secret = Settings.secret(value);
      return this;
    }

    /**
     * An SPKI PEM ({@code -----BEGIN PUBLIC KEY-----}) holding an RSA (2048 bits or more) or EC
     * key.
     */
    public Builder publicKeyPem(String pem) {
      publicKey = Optional.of(PemPublicKey.parse(Objects.requireNonNull(pem, "jwt.public_key")));
      return this;
    }

    /** Where the JSON Web Key Set is served; http or https. */
    public Builder jwksUrl(URI value) {
      jwksUrl = Optional.of(Settings.httpUrl("jwt.jwks_url", value));
      return this;
    }

    public Builder algorithms(Set<String> value) {
      algorithms = Optional.of(Set.copyOf(Objects.requireNonNull(value, "jwt.algorithms")));
      algorithms.get().forEach(Algorithms::parse);
      return this;
    }

    public Builder issuer(String value) {
      issuer = Optional.of(Settings.notBlank("jwt.issuer", value));
      return this;
    }

    public Builder audience(String value) {
      audience = Optional.of(Settings.notBlank("jwt.audience", value));
      return this;
    }

    public Builder leeway(Duration value) {
      leeway = Settings.within("jwt.leeway_seconds", value, Duration.ZERO, MAX_LEEWAY);
      return this;
    }

    public Builder requireExpiry(boolean value) {
      requireExpiry = value;
      return this;
    }

    public Builder jwksRefresh(Duration value) {
      jwksRefresh =
          Settings.within(
              "jwt.jwks_refresh_seconds", value, Duration.ofSeconds(1), Duration.ofDays(1));
      return this;
    }

    public Builder jwksMinRefreshInterval(Duration value) {
      jwksMinRefreshInterval =
          Settings.within(
              "jwt.jwks_min_refresh_seconds", value, Duration.ZERO, Duration.ofHours(1));
      return this;
    }

    public Builder jwksTimeout(Duration value) {
      jwksTimeout =
          Settings.within(
              "jwt.jwks_timeout_seconds", value, Duration.ofMillis(1), Duration.ofMinutes(1));
      return this;
    }

    public Builder clock(Clock value) {
      clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    public Builder httpClient(HttpClient value) {
      httpClient = Optional.of(Objects.requireNonNull(value, "httpClient"));
      return this;
    }

    /**
     * Checks how the settings combine: a key source is set, and every algorithm fits one of the
     * keys.
     */
    public JwtConfig build() {
      if (secret.length == 0 && publicKey.isEmpty() && jwksUrl.isEmpty()) {
        throw new IllegalArgumentException(
            "jwt: no key configured; set jwt.secret, jwt.public_key or jwt.jwks_url");
      }
      Set<JWSAlgorithm> chosen =
          Algorithms.choose(algorithms, secret.length, publicKey, jwksUrl.isPresent());
      return new JwtConfig(this, chosen);
    }
  }
}
