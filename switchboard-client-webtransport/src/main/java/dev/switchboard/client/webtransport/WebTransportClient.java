package dev.switchboard.client.webtransport;

import dev.switchboard.client.ConnectFailedException;
import dev.switchboard.client.PushClient;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.rpc.RpcMethods;
import dev.switchboard.webtransport.ConnectOptions;
import dev.switchboard.webtransport.WebTransportSession;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.UnaryOperator;
import javax.net.ssl.TrustManagerFactory;

/**
 * A {@link SwitchboardClient} over WebTransport ({@code https://host:port/wt}): the same calls,
 * notifications and exposed methods, carried by the session's first bidirectional stream, plus the
 * session itself for the application's own streams and datagrams.
 *
 * <pre>{@code
 * try (WebTransportClient client =
 *     WebTransportClient.builder(URI.create("https://localhost:8080/wt?token=" + jwt))
 *         .certificateHash(hashFromTheServer) // GET /api/v1/webtransport, development only
 *         .connect()) {
 *   int sum = client.call("sum", Params.of(1, 2, 4), Integer.class).join();
 *   client.session().onDatagram(bytes -> ...);
 *   client.session().sendDatagram(bytes);
 * }
 * }</pre>
 *
 * <p>Thread-safe; nothing blocks but {@link Builder#connect()}. Handlers of our exposed methods run
 * on virtual threads; the session's stream and datagram handlers run on the WebTransport event loop
 * and must not block.
 */
public interface WebTransportClient extends SwitchboardClient {

  static Builder builder(URI uri) {
    return new Builder(uri);
  }

  /**
   * A {@link PushClient} connector over WebTransport: each connection a builder for its URI, set up
   * by {@code configure} (for example {@code b -> b.certificateHash(hash)}).
   */
  static PushClient.Connector pushConnector(UnaryOperator<Builder> configure) {
    return (uri, methods) -> configure.apply(builder(uri)).methods(methods).connectAsync();
  }

  /**
   * The WebTransport session: open more streams, send and receive datagrams. Its first
   * bidirectional stream is the RPC one; closing the session closes this client.
   */
  WebTransportSession session();

  /** Configures and opens a connection. */
  final class Builder {
    private final URI uri;
    private final ConnectOptions.Builder options = ConnectOptions.builder();
    private RpcMethods methods = RpcMethods.empty();
    private RpcConfig rpc = RpcConfig.defaults();
    private Encoding encoding = Encoding.JSON;
    private int maxQueuedMessages = 4096;

    private Builder(URI uri) {
      Objects.requireNonNull(uri, "uri");
      if (!"https".equals(uri.getScheme())) {
        throw new IllegalArgumentException("a WebTransport URI starts with https://, got " + uri);
      }
      if (uri.getRawQuery() != null && uri.getRawQuery().contains("encoding=")) {
        throw new IllegalArgumentException(
            "give the encoding with encoding(), not in the URI: " + uri);
      }
      this.uri = uri;
    }

    /** A header of the CONNECT request, for example {@code authorization}. */
    public Builder header(String name, String value) {
      options.header(name, value);
      return this;
    }

    /**
     * Trust the server's certificate by its SHA-256 (base64), as a browser's {@code
     * serverCertificateHashes}: for a development server's generated certificate, published at
     * {@code GET /api/v1/webtransport}. Default: the JDK's trusted CAs and the host name.
     */
    public Builder certificateHash(String sha256Base64) {
      options.certificateHashes(List.of(sha256Base64));
      return this;
    }

    /** Trust what this factory's trust manager accepts (no host name check). */
    public Builder trustManagerFactory(TrustManagerFactory factory) {
      options.trustManagerFactory(factory);
      return this;
    }

    /** The methods the server may call on us. Default: none. */
    public Builder methods(RpcMethods value) {
      methods = Objects.requireNonNull(value, "methods");
      return this;
    }

    /** Limits, timeouts and keepalive of the connection. Default {@link RpcConfig#defaults()}. */
    public Builder rpc(RpcConfig value) {
      rpc = Objects.requireNonNull(value, "rpc");
      return this;
    }

    /**
     * How messages travel on the RPC stream: JSON lines (default) or MessagePack with a varint
     * length ({@code ?encoding=msgpack}).
     */
    public Builder encoding(Encoding value) {
      encoding = Objects.requireNonNull(value, "encoding");
      return this;
    }

    /** Bounds the QUIC handshake plus the server's answer. Default 10 s. */
    public Builder connectTimeout(Duration value) {
      options.connectTimeout(value);
      return this;
    }

    /** Messages written and not yet taken by QUIC before sends are refused. Default 4096. */
    public Builder maxQueuedMessages(int value) {
      if (value <= 0) {
        throw new IllegalArgumentException("maxQueuedMessages must be positive, got " + value);
      }
      maxQueuedMessages = value;
      return this;
    }

    /**
     * Connects and waits until the RPC stream is open.
     *
     * @throws ConnectFailedException when the server cannot be reached, is not trusted, or refuses
     *     the session (the cause names the status, for example 401)
     */
    public WebTransportClient connect() {
      try {
        return connectAsync().join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof ConnectFailedException failed
            ? failed
            : new ConnectFailedException(uri, e.getCause());
      }
    }

    /** Connects without blocking. */
    public CompletableFuture<WebTransportClient> connectAsync() {
      RpcConfig config = rpc.toBuilder().encoding(encoding).build();
      return RealWebTransportClient.open(
          withEncoding(uri, encoding), options.build(), methods, config, maxQueuedMessages);
    }

    /** {@code uri} with {@code encoding=msgpack} in its query when MessagePack is asked. */
    static URI withEncoding(URI uri, Encoding encoding) {
      if (encoding == Encoding.JSON) {
        return uri;
      }
      String query = uri.getRawQuery();
      String plain = uri.toString();
      int fragment = plain.indexOf('#');
      String head = fragment < 0 ? plain : plain.substring(0, fragment);
      return URI.create(head + (query == null ? "?" : "&") + "encoding=msgpack");
    }
  }
}
