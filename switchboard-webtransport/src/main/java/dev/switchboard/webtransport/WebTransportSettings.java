package dev.switchboard.webtransport;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How a {@link WebTransportServer} listens. Immutable; made with {@link #builder(PrivateKey,
 * List)}.
 *
 * <p>Defaults: host {@code 127.0.0.1}, port 0 (any free port), path {@code /wt}, 16 sessions per
 * connection, idle timeout 30 s, 100 bidirectional and 100 unidirectional streams, {@code maxData}
 * 4 MiB per connection, {@code maxStreamData} 256 KiB per stream, datagrams of at most 1200 bytes.
 */
public final class WebTransportSettings {
  private final String host;
  private final int port;
  private final String path;
  private final PrivateKey privateKey;
  private final List<X509Certificate> certificateChain;
  private final int maxSessionsPerConnection;
  private final Duration idleTimeout;
  private final long maxStreamsBidirectional;
  private final long maxStreamsUnidirectional;
  private final long maxData;
  private final long maxStreamData;
  private final int maxDatagramSize;

  private WebTransportSettings(Builder b) {
    host = b.host;
    port = b.port;
    path = b.path;
    privateKey = b.privateKey;
    certificateChain = b.certificateChain;
    maxSessionsPerConnection = b.maxSessionsPerConnection;
    idleTimeout = b.idleTimeout;
    maxStreamsBidirectional = b.maxStreamsBidirectional;
    maxStreamsUnidirectional = b.maxStreamsUnidirectional;
    maxData = b.maxData;
    maxStreamData = b.maxStreamData;
    maxDatagramSize = b.maxDatagramSize;
  }

  /**
   * Settings for a server presenting {@code certificateChain} (leaf first), signed by {@code
   * privateKey}.
   */
  public static Builder builder(PrivateKey privateKey, List<X509Certificate> certificateChain) {
    return new Builder(privateKey, certificateChain);
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    Builder b = new Builder(privateKey, certificateChain);
    b.host = host;
    b.port = port;
    b.path = path;
    b.maxSessionsPerConnection = maxSessionsPerConnection;
    b.idleTimeout = idleTimeout;
    b.maxStreamsBidirectional = maxStreamsBidirectional;
    b.maxStreamsUnidirectional = maxStreamsUnidirectional;
    b.maxData = maxData;
    b.maxStreamData = maxStreamData;
    b.maxDatagramSize = maxDatagramSize;
    return b;
  }

  /** The address to bind. */
  public String host() {
    return host;
  }

  /** The UDP port to bind, 0 for any free one. */
  public int port() {
    return port;
  }

  /** The path sessions are opened on. */
  public String path() {
    return path;
  }

  /** The key of the leaf certificate. */
  public PrivateKey privateKey() {
    return privateKey;
  }

  /** The certificate chain, leaf first. */
  public List<X509Certificate> certificateChain() {
    return certificateChain;
  }

  /** Sessions one QUIC connection may hold; a CONNECT beyond gets 429. */
  public int maxSessionsPerConnection() {
    return maxSessionsPerConnection;
  }

  /** QUIC idle timeout. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** Bidirectional streams the client may open (CONNECT streams included). */
  public long maxStreamsBidirectional() {
    return maxStreamsBidirectional;
  }

  /** Unidirectional streams the client may open, beside HTTP/3's own three. */
  public long maxStreamsUnidirectional() {
    return maxStreamsUnidirectional;
  }

  /** QUIC connection flow-control window in bytes. */
  public long maxData() {
    return maxData;
  }

  /** QUIC stream flow-control window in bytes. */
  public long maxStreamData() {
    return maxStreamData;
  }

  /** The largest datagram payload sent or received, prefix excluded. */
  public int maxDatagramSize() {
    return maxDatagramSize;
  }

  /** Builds {@link WebTransportSettings}; every setter rejects out-of-range values naming them. */
  public static final class Builder {
    private String host = "127.0.0.1";
    private int port;
    private String path = "/wt";
    private final PrivateKey privateKey;
    private final List<X509Certificate> certificateChain;
    private int maxSessionsPerConnection = 16;
    private Duration idleTimeout = Duration.ofSeconds(30);
    private long maxStreamsBidirectional = 100;
    private long maxStreamsUnidirectional = 100;
    private long maxData = 4 << 20;
    private long maxStreamData = 256 << 10;
    private int maxDatagramSize = 1200;

    private Builder(PrivateKey privateKey, List<X509Certificate> certificateChain) {
      this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
      this.certificateChain =
          List.copyOf(Objects.requireNonNull(certificateChain, "certificateChain"));
      if (this.certificateChain.isEmpty()) {
        throw new IllegalArgumentException("certificateChain is empty");
      }
    }

    /** The address to bind. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** The UDP port, 0..65535 (0: any free port). */
    public Builder port(int port) {
      this.port = Checks.range("port", port, 0, 65535);
      return this;
    }

    /** The path sessions are opened on; starts with {@code /}. */
    public Builder path(String path) {
      Objects.requireNonNull(path, "path");
      if (!path.startsWith("/") || path.contains("?")) {
        throw new IllegalArgumentException("path must start with / and have no query: " + path);
      }
      this.path = path;
      return this;
    }

    /** Sessions per QUIC connection, 1..1000. */
    public Builder maxSessionsPerConnection(int max) {
      this.maxSessionsPerConnection = Checks.range("maxSessionsPerConnection", max, 1, 1000);
      return this;
    }

    /** QUIC idle timeout, positive. */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = Checks.positive("idleTimeout", timeout);
      return this;
    }

    /** Bidirectional streams the client may open, 1..10000. */
    public Builder maxStreamsBidirectional(long max) {
      this.maxStreamsBidirectional = Checks.range("maxStreamsBidirectional", max, 1, 10_000);
      return this;
    }

    /** Unidirectional WebTransport streams the client may open, 0..10000. */
    public Builder maxStreamsUnidirectional(long max) {
      this.maxStreamsUnidirectional = Checks.range("maxStreamsUnidirectional", max, 0, 10_000);
      return this;
    }

    /** Connection window in bytes, 1 KiB..1 GiB. */
    public Builder maxData(long bytes) {
      this.maxData = Checks.range("maxData", bytes, 1024, 1L << 30);
      return this;
    }

    /** Stream window in bytes, 1 KiB..1 GiB. */
    public Builder maxStreamData(long bytes) {
      this.maxStreamData = Checks.range("maxStreamData", bytes, 1024, 1L << 30);
      return this;
    }

    /** Largest datagram payload, 1..65000 bytes. */
    public Builder maxDatagramSize(int bytes) {
      this.maxDatagramSize = Checks.range("maxDatagramSize", bytes, 1, 65_000);
      return this;
    }

    /** The settings. */
    public WebTransportSettings build() {
      return new WebTransportSettings(this);
    }
  }
}
