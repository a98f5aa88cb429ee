package dev.switchboard.webtransport;

import java.net.Socket;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trusts a server by its certificate's SHA-256, as a browser does given {@code
 * serverCertificateHashes}: the leaf's hash must be one of those given, and the leaf must be valid
 * now for a period of at most 14 days. No CA and no host name are checked: the hash is the trust.
 */
final class CertificateHashTrust extends X509ExtendedTrustManager {
  private final List<byte[]> hashes;
  private final Clock clock;

  CertificateHashTrust(List<String> sha256Base64, Clock clock) {
    this.hashes = sha256Base64.stream().map(CertificateHashTrust::decode).toList();
    this.clock = clock;
  }

  /** A base64 hash as bytes; empty when it is not base64. */
  static byte[] decode(String base64) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the server sent no certificate");
    }
    X509Certificate leaf = chain[0];
    byte[] hash = decode(DevCertificate.sha256(leaf));
    if (hashes.stream().noneMatch(h -> MessageDigest.isEqual(h, hash))) {
      throw new CertificateException(
          "the server's certificate (sha-256 "
              + DevCertificate.sha256(leaf)
              + ") matches none of the given hashes");
    }
    Instant now = clock.instant();
    Instant from = leaf.getNotBefore().toInstant();
    Instant until = leaf.getNotAfter().toInstant();
    if (now.isBefore(from) || now.isAfter(until)) {
      throw new CertificateException(
          "the server's certificate is not valid now: " + from + ".." + until);
    }
    if (Duration.between(from, until).compareTo(DevCertificate.MAX_VALIDITY) > 0) {
      throw new CertificateException(
          "a certificate trusted by its hash may be valid for at most 14 days; this one: "
              + from
              + ".."
              + until);
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkServerTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    throw new CertificateException("a client trusts no client certificates");
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    checkClientTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
