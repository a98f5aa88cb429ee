package dev.switchboard.auth;

/**
 * Verifies the JWT a device presents when it connects, and says who it is.
 *
 * <p>A token is accepted only if, in this order: it is a signed JWT in compact form (JWS; unsecured
 * and encrypted tokens are refused) of at most {@value #MAX_TOKEN_CHARS} characters; its {@code
 * alg} is one of {@link JwtConfig#algorithms()}; its signature verifies with a configured key; it
 * is not expired ({@code exp}, required unless {@link JwtConfig#requireExpiry()} is off), not used
 * before {@code nbf}, not issued in the future ({@code iat}), each give or take {@link
 * JwtConfig#leeway()}; {@code iss} and {@code aud} match the configuration when it names them; and
 * {@code sub} is present. Keys in the token's header ({@code jwk}, {@code jku}, {@code x5u}, {@code
 * x5c}) are never used.
 *
 * <p>Key choice: HS256/384/512 use {@code jwt.secret}. RSA and EC algorithms use {@code
 * jwt.public_key} when it fits the algorithm and verifies, and otherwise the {@code jwt.jwks_url}
 * keys with the token's {@code kid} (or, for a token without one, every key of the algorithm's type
 * and curve).
 *
 * <p>Implementations are thread-safe. {@link #verify(String)} may block: on first use, and when a
 * token names a key id not yet known, it fetches the key set, waiting up to {@link
 * JwtConfig#jwksTimeout()}. The server calls it on a virtual thread, never on an event loop.
 * Periodic refreshes of the key set run in the background while the cached keys keep serving.
 */
public interface TokenVerifier {

  /**
   * Longest token accepted, in characters; longer ones are refused as {@link
   * AuthFailure#MALFORMED}.
   */
  int MAX_TOKEN_CHARS = 16 * 1024;

  /**
   * Returns the identity the token proves.
   *
   * @param token the compact JWT, without any {@code Bearer } prefix
   * @throws AuthException if the token is refused; {@link AuthException#reason()} says why
   * @throws NullPointerException if {@code token} is null (an absent token is the caller's to
   *     refuse)
   */
  Identity verify(String token);

  /** A verifier for {@code config}; it fetches nothing until first used. */
  static TokenVerifier create(JwtConfig config) {
    return new RealTokenVerifier(config);
  }
}
