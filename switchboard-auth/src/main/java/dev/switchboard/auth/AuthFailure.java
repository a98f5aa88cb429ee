package dev.switchboard.auth;

/**
 * Why a credential was refused. The server maps every value to the same answer to the client (401
 * at the upgrade, -32009 to a {@code refresh}) and logs the reason; only operators see the
 * distinction.
 */
public enum AuthFailure {
  /** No token was presented, or it was blank. */
  MISSING_TOKEN,
  /**
   * Not a signed JWT in compact form, too long, or its header or claims are not valid JSON of the
   * right types.
   */
  MALFORMED,
  /**
   * The token's {@code alg} is not one of {@code jwt.algorithms}; unsecured ({@code alg: none})
   * tokens land here.
   */
  ALGORITHM_NOT_ALLOWED,
  /** The signature does not verify with the key chosen for the token. */
  BAD_SIGNATURE,
  /**
   * {@code exp} is in the past beyond the leeway, or absent while {@link JwtConfig#requireExpiry()}
   * holds (always for the server).
   */
  EXPIRED,
  /** {@code nbf} is in the future beyond the leeway. */
  NOT_YET_VALID,
  /** {@code iat} is in the future beyond the leeway. */
  ISSUED_IN_FUTURE,
  /** {@code jwt.issuer} is set and {@code iss} is absent or different. */
  WRONG_ISSUER,
  /** {@code jwt.audience} is set and {@code aud} is absent or does not contain it. */
  WRONG_AUDIENCE,
  /** {@code sub} is absent or blank. */
  MISSING_SUBJECT,
  /**
   * No configured key fits the token: its {@code kid} is unknown, or no key has its type and curve.
   */
  NO_MATCHING_KEY,
  /** The token needs a key from {@code jwt.jwks_url} and no key set could be fetched yet. */
  KEYS_UNAVAILABLE
}
