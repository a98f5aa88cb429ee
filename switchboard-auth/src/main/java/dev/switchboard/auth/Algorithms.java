package dev.switchboard.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The signature algorithms we accept, and which configured key each one needs. */
final class Algorithms {

  static final List<JWSAlgorithm> HMAC =
      List.of(JWSAlgorithm.HS256, JWSAlgorithm.HS384, JWSAlgorithm.HS512);
  static final List<JWSAlgorithm> RSA =
      List.of(
          JWSAlgorithm.RS256,
          JWSAlgorithm.RS384,
          JWSAlgorithm.RS512,
          JWSAlgorithm.PS256,
          JWSAlgorithm.PS384,
          JWSAlgorithm.PS512);
  static final List<JWSAlgorithm> EC =
      List.of(JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512);
  private static final List<JWSAlgorithm> ALL =
      Stream.of(HMAC, RSA, EC).flatMap(List::stream).toList();

  private Algorithms() {}

  /** Parses one entry of {@code jwt.algorithms}; names are case-insensitive. */
  static JWSAlgorithm parse(String name) {
    String upper = name.strip().toUpperCase(Locale.ROOT);
    if (upper.equals("NONE")) {
      throw new IllegalArgumentException(
          "jwt.algorithms must not contain 'none': unsigned tokens are never accepted");
    }
    return ALL.stream()
        .filter(a -> a.getName().equals(upper))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "jwt.algorithms: unknown algorithm "
                        + AuthException.quote(name)
                        + "; supported: "
                        + names(ALL)));
  }

  /** RFC 7518 §3.2: an HMAC key must be at least as long as the hash. */
  static int minSecretBytes(JWSAlgorithm alg) {
    return Integer.parseInt(alg.getName().substring(2)) / 8;
  }

  /**
   * The algorithms to accept: the configured names, or else what the keys support.
   *
   * @throws IllegalArgumentException if the set is empty or an algorithm does not fit the keys
   */
  static Set<JWSAlgorithm> choose(
      Optional<Set<String>> names, int secretBytes, Optional<PublicKey> key, boolean jwks) {
    Set<JWSAlgorithm> chosen =
        names
            .<Set<JWSAlgorithm>>map(
                n -> n.stream().map(Algorithms::parse).collect(Collectors.toSet()))
            .orElseGet(() -> defaults(secretBytes, key, jwks));
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException("jwt.algorithms must not be empty");
    }
    chosen.forEach(a -> checkFits(a, secretBytes, key, jwks));
    return chosen;
  }

  /** What the configured keys support when {@code jwt.algorithms} is not set. */
  private static Set<JWSAlgorithm> defaults(
      int secretBytes, Optional<PublicKey> key, boolean jwks) {
    Set<JWSAlgorithm> result = new LinkedHashSet<>();
    HMAC.stream().filter(a -> secretBytes >= minSecretBytes(a)).forEach(result::add);
    key.filter(RSAPublicKey.class::isInstance).ifPresent(k -> result.add(JWSAlgorithm.RS256));
    key.flatMap(Algorithms::curve).ifPresent(c -> result.addAll(forCurve(c)));
    if (jwks) {
      result.add(JWSAlgorithm.RS256);
      result.add(JWSAlgorithm.ES256);
    }
    return result;
  }

  /** Throws if none of the configured keys can verify {@code alg}. */
  private static void checkFits(
      JWSAlgorithm alg, int secretBytes, Optional<PublicKey> key, boolean jwks) {
    if (HMAC.contains(alg)) {
      if (secretBytes == 0) {
        throw misfit(alg, "needs jwt.secret");
      }
      if (secretBytes < minSecretBytes(alg)) {
        throw misfit(
            alg,
            "needs a jwt.secret of at least " + minSecretBytes(alg) + " bytes, got " + secretBytes);
      }
    } else if (!jwks) {
      boolean fits =
          RSA.contains(alg)
              ? key.filter(RSAPublicKey.class::isInstance).isPresent()
              : key.flatMap(Algorithms::curve).filter(c -> forCurve(c).contains(alg)).isPresent();
      if (!fits) {
        throw misfit(
            alg,
            "needs jwt.jwks_url or a jwt.public_key of type "
                + (RSA.contains(alg)
                    ? "RSA"
                    : "EC " + Curve.forJWSAlgorithm(alg).iterator().next()));
      }
    }
  }

  /** The curve of an EC key, when it is one we support. */
  static Optional<Curve> curve(PublicKey key) {
    return key instanceof ECPublicKey ec
        ? Optional.ofNullable(Curve.forECParameterSpec(ec.getParams()))
            .filter(c -> !forCurve(c).isEmpty())
        : Optional.empty();
  }

  /** The names in a stable order (HMAC, RSA, EC), for messages. */
  static String names(Collection<JWSAlgorithm> algorithms) {
    return ALL.stream()
        .filter(algorithms::contains)
        .map(JWSAlgorithm::getName)
        .collect(Collectors.joining(","));
  }

  private static List<JWSAlgorithm> forCurve(Curve curve) {
    return EC.stream().filter(a -> Curve.forJWSAlgorithm(a).contains(curve)).toList();
  }

  private static IllegalArgumentException misfit(JWSAlgorithm alg, String why) {
    return new IllegalArgumentException("jwt.algorithms: " + alg.getName() + " " + why);
  }
}
