package dev.switchboard.client;

import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.rpc.RpcMethods;
import dev.switchboard.rpc.RpcPeer;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A connection to a Switchboard server: call its methods, answer its calls, close.
 *
 * <pre>{@code
 * try (SwitchboardClient client = SwitchboardClient.connect(URI.create("ws://localhost:8080/ws"))) {
 *   int sum = client.call("sum", Params.of(1, 2, 4), Integer.class).join();
 * }
 * }</pre>
 *
 * <p>Thread-safe; nothing blocks but {@link Builder#connect()}. Handlers of the methods we expose
 * run on virtual threads. See {@link RpcPeer} for how calls fail.
 */
public interface SwitchboardClient extends RpcPeer, AutoCloseable {

  /** Connects with the defaults and waits until the connection is open. */
  static SwitchboardClient connect(URI uri) {
    return builder(uri).connect();
  }

  static Builder builder(URI uri) {
    return new Builder(uri);
  }

  /**
   * The URI connected to: the one given, with {@code protocol=jsonrpc} in its query unless it named
   * the protocol already.
   */
  URI uri();

  /** Clustered RPC through this connection: routed calls, command graphs, providing functions. */
  default ClusterCalls cluster() {
    return new ClusterCalls(this);
  }

  /** Closes normally (1000) and fails pending calls at once. */
  @Override
  void close();

  /** Configures and opens a connection. */
  final class Builder {
    private final URI uri;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private RpcMethods methods = RpcMethods.empty();
    private RpcConfig rpc = RpcConfig.defaults();
    private Duration connectTimeout = Duration.ofSeconds(10);
    private int maxQueuedMessages = 4096;
    private HttpClient httpClient;

    private Builder(URI uri) {
      Objects.requireNonNull(uri, "uri");
      String scheme = uri.getScheme();
      if ("https".equals(scheme)) {
        throw new IllegalArgumentException(
            "https:// is WebTransport: connect with WebTransportClient.builder(uri) from"
                + " switchboard-client-webtransport; this builder speaks WebSocket (ws://, wss://)");
      }
      if (!"ws".equals(scheme) && !"wss".equals(scheme)) {
        throw new IllegalArgumentException(
            "a Switchboard URI starts with ws:// or wss://, got " + uri);
      }
      this.uri = speakingJsonRpc(uri);
    }

    /**
     * {@code uri} with {@code protocol=jsonrpc} added to its query: this client speaks JSON-RPC
     * whatever protocol the server gives devices that name none ({@code
     * websocket.default_protocol}).
     *
     * @throws IllegalArgumentException when the query names another protocol
     */
    static URI speakingJsonRpc(URI uri) {
      String query = uri.getRawQuery();
      if (query != null) {
        for (String pair : query.split("&")) {
          if (pair.startsWith("protocol=")) {
            String named =
                URLDecoder.decode(pair.substring("protocol=".length()), StandardCharsets.UTF_8);
            if (named.equalsIgnoreCase("jsonrpc")) {
              return uri;
            }
            throw new IllegalArgumentException(
                "this client speaks JSON-RPC; the URI asks for protocol=" + named + ": " + uri);
          }
        }
      }
      String plain = uri.toString();
      int fragment = plain.indexOf('#');
      String head = fragment < 0 ? plain : plain.substring(0, fragment);
      String tail = fragment < 0 ? "" : plain.substring(fragment);
      String separator = query == null ? (head.endsWith("?") ? "" : "?") : "&";
      return URI.create(head + separator + "protocol=jsonrpc" + tail);
    }

    /** A header of the opening handshake, for example {@code Authorization}. */
    public Builder header(String name, String value) {
      headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
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

    /** Bounds the TCP connect and each read of the TLS and WebSocket handshakes. Default 10 s. */
    public Builder connectTimeout(Duration value) {
      connectTimeout = Objects.requireNonNull(value, "connectTimeout");
      return this;
    }

    /** Messages waiting to be written before sends are refused. Default 4096. */
    public Builder maxQueuedMessages(int value) {
      if (value <= 0) {
        throw new IllegalArgumentException("maxQueuedMessages must be positive, got " + value);
      }
      maxQueuedMessages = value;
      return this;
    }

    /**
     * Use the JDK's WebSocket stack, for example for a proxy; the default is Switchboard's own RFC
     * 6455 client, which writes queued frames together. This client's executor runs the WebSocket
     * callbacks. Beware: the JDK (17 to 25) reports no close and no error when the connection ends
     * without a close frame while a message is being handled; the client then learns of it only
     * when a keepalive ping fails.
     */
    public Builder httpClient(HttpClient value) {
      httpClient = Objects.requireNonNull(value, "httpClient");
      return this;
    }

    /**
     * Connects and waits until the connection is open.
     *
     * @throws ConnectFailedException when the server cannot be reached or refuses the handshake
     */
    public SwitchboardClient connect() {
      try {
        return connectAsync().join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof ConnectFailedException failed
            ? failed
            : new ConnectFailedException(uri, e);
      }
    }

    /** Connects without blocking. */
    public CompletableFuture<SwitchboardClient> connectAsync() {
      return httpClient == null
          ? ConnectionClient.open(
              uri, Map.copyOf(headers), methods, rpc, connectTimeout, maxQueuedMessages)
          : ConnectionClient.open(
              httpClient,
              uri,
              Map.copyOf(headers),
              methods,
              rpc,
              connectTimeout,
              maxQueuedMessages);
    }
  }
}
