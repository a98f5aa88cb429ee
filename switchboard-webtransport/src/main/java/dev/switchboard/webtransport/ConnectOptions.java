package dev.switchboard.webtransport;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.TrustManagerFactory;

/**
 * How {@link WebTransportConnector} opens a session. Immutable; made with {@link #builder()}.
 *
 * <p>The server's certificate is checked one of three ways: against {@link
 * Builder#certificateHashes} (as a browser's {@code serverCertificateHashes}: the SHA-256 of the
 * certificate must match one, it must be valid now and for at most 14 days; no CA, no host name),
 * against a {@link Builder#trustManagerFactory}, or, by default, against the JDK's trusted CAs with
 * the host name checked.
 *
 * <p>Defaults: connect timeout 10 s, idle timeout 30 s, datagrams of at most 1200 bytes, 4 MiB per
 * connection and 256 KiB per stream of receive window, 100 streams of each kind the server may
 * open.
 */
public final class ConnectOptions {
  private final Map<String, String> headers;
  private final List<String> certificateHashes;
  private final Optional<TrustManagerFactory> trustManagerFactory;
  private final Duration connectTimeout;
  private final Duration idleTimeout;
  private final int maxDatagramSize;
  private final long maxData;
  private final long maxStreamData;
  private final long maxStreams;

  private ConnectOptions(Builder b) {
    headers = Map.copyOf(b.headers);
    certificateHashes = List.copyOf(b.certificateHashes);
    trustManagerFactory = b.trustManagerFactory;
    connectTimeout = b.connectTimeout;
    idleTimeout = b.idleTimeout;
    maxDatagramSize = b.maxDatagramSize;
    maxData = b.maxData;
    maxStreamData = b.maxStreamData;
    maxStreams = b.maxStreams;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The defaults: the JDK's trusted CAs, no extra header. */
  public static ConnectOptions defaults() {
    return builder().build();
  }

  /** Extra headers of the CONNECT request, names in lower case. */
  public Map<String, String> headers() {
    return headers;
  }

  /** Accepted SHA-256 hashes (base64) of the server's certificate; empty: CA trust. */
  public List<String> certificateHashes() {
    return certificateHashes;
  }

  public Optional<TrustManagerFactory> trustManagerFactory() {
    return trustManagerFactory;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration idleTimeout() {
    return idleTimeout;
  }

  public int maxDatagramSize() {
    return maxDatagramSize;
  }

  public long maxData() {
    return maxData;
  }

  public long maxStreamData() {
    return maxStreamData;
  }

  public long maxStreams() {
    return maxStreams;
  }

  /** Builds {@link ConnectOptions}; every setter rejects out-of-range values naming them. */
  public static final class Builder {
    private final Map<String, String> headers = new LinkedHashMap<>();
    private List<String> certificateHashes = List.of();
    private Optional<TrustManagerFactory> trustManagerFactory = Optional.empty();
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration idleTimeout = Duration.ofSeconds(30);
    private int maxDatagramSize = 1200;
    private long maxData = 4 << 20;
    private long maxStreamData = 256 << 10;
    private long maxStreams = 100;

    private Builder() {}

    /** A header of the CONNECT request, for example {@code authorization}. */
    public Builder header(String name, String value) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (name.isEmpty() || name.startsWith(":")) {
        throw new IllegalArgumentException("not a header name: '" + name + "'");
      }
      headers.put(name.toLowerCase(Locale.ROOT), value); // HTTP/3 field names are lower case
      return this;
    }

    /**
     * Trust the server's certificate by its SHA-256 (base64), as {@code GET /api/v1/webtransport}
     * publishes a development certificate's; replaces CA trust.
     */
    public Builder certificateHashes(List<String> sha256Base64) {
      for (String hash : sha256Base64) {
        if (CertificateHashTrust.decode(hash).length != 32) {
          throw new IllegalArgumentException("not a base64 SHA-256: " + hash);
        }
      }
      certificateHashes = List.copyOf(sha256Base64);
      return this;
    }

    /** Trust the certificates this factory's trust manager accepts (no host name check). */
    public Builder trustManagerFactory(TrustManagerFactory factory) {
      trustManagerFactory = Optional.of(Objects.requireNonNull(factory, "factory"));
      return this;
    }

    /** Bounds the QUIC handshake plus the server's answer to the CONNECT; positive. */
    public Builder connectTimeout(Duration timeout) {
      connectTimeout = Checks.positive("connectTimeout", timeout);
      return this;
    }

    /** QUIC idle timeout; positive. */
    public Builder idleTimeout(Duration timeout) {
      idleTimeout = Checks.positive("idleTimeout", timeout);
      return this;
    }

    /** Largest datagram payload, 1..65000 bytes. */
    public Builder maxDatagramSize(int bytes) {
      maxDatagramSize = Checks.range("maxDatagramSize", bytes, 1, 65_000);
      return this;
    }

    /** Connection receive window in bytes, 1 KiB..1 GiB. */
    public Builder maxData(long bytes) {
      maxData = Checks.range("maxData", bytes, 1024, 1L << 30);
      return this;
    }

    /** Stream receive window in bytes, 1 KiB..1 GiB. */
    public Builder maxStreamData(long bytes) {
      maxStreamData = Checks.range("maxStreamData", bytes, 1024, 1L << 30);
      return this;
    }

    /** Streams of each kind the server may open, 0..10000. */
    public Builder maxStreams(long max) {
      maxStreams = Checks.range("maxStreams", max, 0, 10_000);
      return this;
    }

    public ConnectOptions build() {
      return new ConnectOptions(this);
    }
  }
}
