package dev.switchboard.server;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where WebTransport (HTTP/3 over QUIC, on UDP) listens and with which certificate: {@code
 * webtransport.*}.
 *
 * @param enabled whether it listens at all (default: in development mode only)
 * @param port its UDP port; 0: the HTTP server's port number (TCP and UDP ports do not clash)
 * @param certificate a PEM certificate chain (production); empty: a generated development
 *     certificate, valid less than 14 days, whose hash {@code GET /api/v1/webtransport} publishes
 * @param privateKey the PEM private key of {@code certificate}
 */
public record WebTransportOptions(
    boolean enabled, int port, Optional<Path> certificate, Optional<Path> privateKey) {

  /** Not listening. */
  public static final WebTransportOptions OFF =
      new WebTransportOptions(false, 0, Optional.empty(), Optional.empty());

  /** On the HTTP server's port number, with a generated development certificate. */
  public static final WebTransportOptions DEVELOPMENT =
      new WebTransportOptions(true, 0, Optional.empty(), Optional.empty());

  public WebTransportOptions {
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("webtransport.port must be 0 to 65535, got " + port);
    }
    Objects.requireNonNull(certificate, "certificate");
    Objects.requireNonNull(privateKey, "privateKey");
    if (certificate.isPresent() != privateKey.isPresent()) {
      throw new IllegalArgumentException(
          "webtransport.certificate and webtransport.private_key go together: give both or none");
    }
  }

  /** These options listening on UDP {@code value}. */
  public WebTransportOptions withPort(int value) {
    return new WebTransportOptions(true, value, certificate, privateKey);
  }

  /** These options with a certificate chain and its key, both PEM files. */
  public WebTransportOptions withCertificate(Path chain, Path key) {
    return new WebTransportOptions(enabled, port, Optional.of(chain), Optional.of(key));
  }

  /** The UDP port for an HTTP server on {@code httpPort}. */
  int udpPort(int httpPort) {
    return port == 0 ? httpPort : port;
  }
}
