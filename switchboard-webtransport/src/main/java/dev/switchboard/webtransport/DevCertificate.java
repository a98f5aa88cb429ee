package dev.switchboard.webtransport;

import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Objects;

/**
 * A self-signed ECDSA P-256 certificate for development, which browsers accept without a CA through
 * {@code serverCertificateHashes} when it is valid for at most 14 days.
 *
 * @param privateKey the certificate's key
 * @param certificate the certificate, for {@code 127.0.0.1}/{@code localhost}
 * @param sha256Base64 the SHA-256 of the certificate's DER encoding, base64: the value a page
 *     passes as {@code serverCertificateHashes}
 */
public record DevCertificate(
    PrivateKey privateKey, X509Certificate certificate, String sha256Base64) {
  /** The longest validity browsers accept with {@code serverCertificateHashes}. */
  public static final Duration MAX_VALIDITY = Duration.ofDays(14);

  /** Rejects nulls. */
  public DevCertificate {
    Objects.requireNonNull(privateKey, "privateKey");
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(sha256Base64, "sha256Base64");
  }

  /**
   * Generates a certificate valid from a minute ago for {@code validity}.
   *
   * @throws IllegalArgumentException when {@code validity} is not positive or exceeds {@link
   *     #MAX_VALIDITY}
   * @throws WebTransportException when the JDK cannot generate it
   */
  // SelfSignedCertificate is deprecated as production API; a development certificate is what it is
  // for.
  @SuppressWarnings("deprecation")
  public static DevCertificate generate(Duration validity) {
    Objects.requireNonNull(validity, "validity");
    if (validity.isNegative() || validity.isZero() || validity.compareTo(MAX_VALIDITY) > 0) {
      throw new IllegalArgumentException(
          "validity must be positive and at most " + MAX_VALIDITY + ": " + validity);
    }
    Instant notBefore = Instant.now().minusSeconds(60);
    try {
      SelfSignedCertificate ssc =
          new SelfSignedCertificate(
              "localhost", Date.from(notBefore), Date.from(notBefore.plus(validity)), "EC", 256);
      try {
        X509Certificate cert = ssc.cert();
        return new DevCertificate(ssc.key(), cert, sha256(cert));
      } finally {
        ssc.delete();
      }
    } catch (java.security.cert.CertificateException e) {
      throw new WebTransportException("could not generate a development certificate", e);
    }
  }

  /** The SHA-256 of {@code certificate}'s DER encoding, base64. */
  public static String sha256(X509Certificate certificate) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
      return Base64.getEncoder().encodeToString(hash);
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      throw new WebTransportException("could not hash the certificate", e);
    }
  }
}
