package dev.switchboard.auth;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.util.Objects;
import java.util.Set;

/**
 * The {@link TokenVerifier}: format and algorithm here, then {@link SignatureCheck}, then {@link
 * ClaimsPolicy}.
 */
final class RealTokenVerifier implements TokenVerifier {

  private final Set<JWSAlgorithm> allowed;
  private final SignatureCheck signatures;
  private final ClaimsPolicy claims;

  RealTokenVerifier(JwtConfig config) {
    this.allowed = config.allowedAlgorithms();
    this.signatures = new SignatureCheck(config);
    this.claims = new ClaimsPolicy(config);
  }

  @Override
  public Identity verify(String token) {
    Objects.requireNonNull(token, "token");
    if (token.isBlank()) {
      throw new AuthException(AuthFailure.MISSING_TOKEN, "no token presented");
    }
    if (token.length() > MAX_TOKEN_CHARS) {
      throw new AuthException(
          AuthFailure.MALFORMED,
          "token is " + token.length() + " characters; the limit is " + MAX_TOKEN_CHARS);
    }
    SignedJWT jwt = parse(token);
    JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
    if (!allowed.contains(alg)) {
      throw new AuthException(
          AuthFailure.ALGORITHM_NOT_ALLOWED,
          "token algorithm "
              + AuthException.quote(alg.getName())
              + " is not allowed; jwt.algorithms is "
              + Algorithms.names(allowed));
    }
    signatures.check(jwt);
    return claims.identity(claimsOf(jwt));
  }

  private static SignedJWT parse(String token) {
    JWT jwt;
    try {
      jwt = JWTParser.parse(token);
    } catch (ParseException e) {
      if (namesAlgNone(token)) {
        throw unsecured();
      }
      throw new AuthException(
          AuthFailure.MALFORMED, "token is not a JWT: " + AuthException.quote(e.getMessage()));
    }
    if (jwt instanceof SignedJWT signed) {
      return signed;
    }
    if (jwt instanceof PlainJWT) {
      throw unsecured();
    }
    throw new AuthException(
        AuthFailure.MALFORMED, "token is encrypted (JWE); only signed tokens (JWS) are accepted");
  }

  /**
   * Whether the header asks for no signature in another spelling ("None"), which the JWT parser
   * refuses.
   */
  private static boolean namesAlgNone(String token) {
    int dot = token.indexOf('.');
    try {
      return dot > 0
          && "none"
              .equalsIgnoreCase(
                  Header.parse(new Base64URL(token.substring(0, dot))).getAlgorithm().getName());
    } catch (ParseException e) {
      return false;
    }
  }

  private static AuthException unsecured() {
    return new AuthException(
        AuthFailure.ALGORITHM_NOT_ALLOWED, "token is unsecured (alg none); refused");
  }

  /** Claims are read only once the signature has verified. */
  private static JWTClaimsSet claimsOf(SignedJWT jwt) {
    try {
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      Object sub = jwt.getPayload().toJSONObject().get("sub");
      if (sub != null && !(sub instanceof String)) {
        // Nimbus turns a number into text; RFC 7519 says a string, and a user id is one.
        throw new AuthException(AuthFailure.MALFORMED, "token sub claim must be a string");
      }
      return claims;
    } catch (ParseException e) {
      throw new AuthException(
          AuthFailure.MALFORMED,
          "token claims are invalid: " + AuthException.quote(e.getMessage()));
    }
  }
}
