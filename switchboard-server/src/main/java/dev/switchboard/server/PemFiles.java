package dev.switchboard.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;

/** A certificate chain and its private key, read from PEM files (the key in PKCS#8). */
final class PemFiles {

  private PemFiles() {}

  /**
   * The certificates of {@code file}, leaf first.
   *
   * @throws IllegalArgumentException naming the file and what is wrong
   */
  static List<X509Certificate> certificates(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> chain =
          CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
              .map(X509Certificate.class::cast)
              .toList();
      if (chain.isEmpty()) {
        throw new IllegalArgumentException(file + " holds no certificate");
      }
      return chain;
    } catch (IOException | CertificateException e) {
      throw new IllegalArgumentException("cannot read certificates from " + file + ": " + e, e);
    }
  }

  /**
   * The private key of {@code file}: {@code -----BEGIN PRIVATE KEY-----} (PKCS#8), EC or RSA.
   *
   * @throws IllegalArgumentException naming the file and what is wrong
   */
  static PrivateKey privateKey(Path file) {
    String pem;
    try {
      pem = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e, e);
    }
    int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
    int end = pem.indexOf("-----END PRIVATE KEY-----");
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException(
          file
              + " is not a PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----); convert it with"
              + " `openssl pkcs8 -topk8 -nocrypt -in key.pem`");
    }
    byte[] der =
        Base64.getMimeDecoder()
            .decode(pem.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end));
    for (String algorithm : List.of("EC", "RSA")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException notThisOne) {
        // try the next algorithm
      }
    }
    throw new IllegalArgumentException(file + " holds neither an EC nor an RSA private key");
  }
}
