package dev.switchboard.auth;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Reads {@code jwt.public_key}: an SPKI PEM, parsed with the JDK's own key factories. */
final class PemPublicKey {

  private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
  private static final String END = "-----END PUBLIC KEY-----";
  static final int MIN_RSA_BITS = 2048;

  private PemPublicKey() {}

  /**
   * Parses an RSA key of at least {@value #MIN_RSA_BITS} bits or an EC key on P-256, P-384 or
   * P-521.
   *
   * @throws IllegalArgumentException naming {@code jwt.public_key} and what is wrong; never echoing
   *     the text
   */
  static PublicKey parse(String pem) {
    String text = pem.strip();
    if (text.contains("PRIVATE KEY-----")) {
      throw bad("holds a private key; configure the public key only");
    }
    if (text.startsWith("-----BEGIN RSA PUBLIC KEY-----")) {
      throw bad(
          "is a PKCS#1 RSA key; convert it to SPKI with: openssl rsa -RSAPublicKey_in -pubout -in key.pem");
    }
    if (!text.startsWith(BEGIN) || !text.endsWith(END)) {
      throw bad("must be a PEM starting with '" + BEGIN + "' and ending with '" + END + "'");
    }
    byte[] der;
    try {
      String body = text.substring(BEGIN.length(), text.length() - END.length());
      der = Base64.getDecoder().decode(body.replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw bad("is not valid base64 between the PEM markers");
    }
    PublicKey key = decode(der);
    if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() < MIN_RSA_BITS) {
      throw bad(
          "is a "
              + rsa.getModulus().bitLength()
              + "-bit RSA key; at least "
              + MIN_RSA_BITS
              + " are required");
    }
    if (!(key instanceof RSAPublicKey) && Algorithms.curve(key).isEmpty()) {
      throw bad("is an EC key on an unsupported curve; use P-256, P-384 or P-521");
    }
    return key;
  }

  private static PublicKey decode(byte[] der) {
    for (String type : new String[] {"RSA", "EC"}) {
      try {
        return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // not this type; try the next
      }
    }
    throw bad("is neither an RSA nor an EC public key (could not decode the SPKI structure)");
  }

  private static IllegalArgumentException bad(String why) {
    return new IllegalArgumentException("jwt.public_key " + why);
  }
}
