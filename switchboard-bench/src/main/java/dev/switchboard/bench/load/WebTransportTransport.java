package dev.switchboard.bench.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.webtransport.ConnectOptions;
import dev.switchboard.webtransport.MessageFraming;
import dev.switchboard.webtransport.WebTransportConnector;
import dev.switchboard.webtransport.WebTransportSession;
import dev.switchboard.webtransport.WtStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Devices over WebTransport ({@code wt}), with the project's own client ({@link
 * WebTransportConnector}). Once per transport it asks {@code GET /api/v1/webtransport} where the
 * server listens ({@code {url, certificate_hashes}}); each device then opens a session at {@code
 * url?token=<JWT>}, trusting those hashes (or, without any, the JDK's CAs), and the session's first
 * bidirectional stream carries JSON-RPC 2.0 as JSON lines ({@link DeviceMessages.Dialog}). A server
 * that answers that request 404, or not at all, has no WebTransport: {@link #connect} fails with
 * {@link Unavailable} then.
 *
 * <p>The client runs every session of the JVM on one shared event loop thread of its own.
 */
final class WebTransportTransport extends DeviceTransportBase<WebTransportTransport.Device> {

  static final String NAME = "wt";

  /** Where the server says WebTransport listens. */
  static final String INFO_PATH = "/api/v1/webtransport";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_MESSAGE_BYTES = 1 << 20;

  /** The close code of a session this process ends (normal closure, as over WebSocket). */
  private static final int NORMAL_CLOSE = 1000;

  /** The server has no WebTransport: the run skips this transport. */
  static final class Unavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * {@code GET /api/v1/webtransport}'s answer.
   *
   * @param url where sessions open
   * @param certificateHashes the SHA-256 hashes (Base64) of certificates to trust; empty: trust the
   *     JDK's CAs
   */
  record Info(URI url, List<String> certificateHashes) {}

  private final LoadTarget target;
  private final HttpClient http;
  private CompletableFuture<Info> info; // guarded by this

  /**
   * @param connectTimeout how long a device may take to open its session and subscribe
   */
  WebTransportTransport(LoadTarget target, Duration connectTimeout) {
    super(NAME, connectTimeout);
    this.target = Objects.requireNonNull(target, "target");
    this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
  }

  @Override
  Device newDevice(DeviceSpec spec, DeviceListener listener) {
    return new Device(spec, listener);
  }

  @Override
  void start(Device device) {
    device.stage("asking " + target.resolve(INFO_PATH));
    info()
        .whenComplete(
            (where, e) -> {
              if (e != null) {
                device.fail(unwrap(e));
              } else {
                device.open(where);
              }
            });
  }

  /** {@code GET /api/v1/webtransport}, asked once: its answer, or why there is none. */
  synchronized CompletableFuture<Info> info() {
    if (info == null) {
      URI uri = target.resolve(INFO_PATH);
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(connectTimeout).GET();
      target.apiKey().ifPresent(key -> request.header("X-API-Key", key));
      info =
          http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
              .handle(
                  (response, e) -> {
                    if (e != null) {
                      Throwable cause = unwrap(e);
                      throw new Unavailable(
                          "the server has no WebTransport: GET "
                              + uri
                              + " failed ("
                              + Objects.requireNonNullElse(
                                  cause.getMessage(), cause.getClass().getSimpleName())
                              + ")",
                          cause);
                    }
                    return info(uri, response);
                  });
    }
    return info;
  }

  private Info info(URI uri, HttpResponse<String> response) {
    if (response.statusCode() == 404) {
      throw new Unavailable(
          "the server has no WebTransport: GET " + uri + " answered 404 " + response.body(), null);
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "wt: GET " + uri + " answered " + response.statusCode() + ": " + response.body());
    }
    try {
      JsonNode body = JSON.readTree(response.body());
      URI url = URI.create(body.path("url").asText());
      List<String> hashes = new ArrayList<>();
      for (JsonNode hash : body.path("certificate_hashes")) {
        if ("sha-256".equalsIgnoreCase(hash.path("algorithm").asText())) {
          hashes.add(hash.path("value").asText());
        }
      }
      return new Info(reachable(url), List.copyOf(hashes));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "wt: GET " + uri + " answered what is not {url, certificate_hashes}: " + response.body(),
          e);
    }
  }

  /**
   * {@code url} as this process reaches it: a server bound to every address names itself {@code
   * 127.0.0.1}, which is the target's host only when the target is on this machine.
   */
  private URI reachable(URI url) {
    String host = url.getHost();
    boolean loopback = "127.0.0.1".equals(host) || "localhost".equals(host);
    String targetHost = target.base().getHost();
    if (!loopback
        || "127.0.0.1".equals(targetHost)
        || "localhost".equals(targetHost)
        || "[::1]".equals(targetHost)) {
      return url;
    }
    return URI.create(
        url.getScheme()
            + "://"
            + targetHost
            + ":"
            + url.getPort()
            + Objects.requireNonNullElse(url.getRawPath(), "")
            + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
  }

  /** {@code url} with {@code token=} when the device has one. */
  static URI sessionUri(URI url, DeviceSpec spec) {
    if (spec.token().isEmpty()) {
      return url;
    }
    String token = "token=" + URLEncoder.encode(spec.token().get(), StandardCharsets.UTF_8);
    String s = url.toString();
    return URI.create(s + (url.getRawQuery() == null ? "?" : "&") + token);
  }

  private static Throwable unwrap(Throwable e) {
    return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  @Override
  void release() {
    http.shutdownNow();
  }

  /** One session and its RPC stream; their handlers run on the client's event loop. */
  final class Device extends DialogDevice {
    private final MessageFraming lines = MessageFraming.lines(MAX_MESSAGE_BYTES);
    private volatile WebTransportSession session;

    Device(DeviceSpec spec, DeviceListener listener) {
      super(NAME, spec, listener, live);
    }

    void open(Info where) {
      if (ended()) {
        return;
      }
      URI uri = sessionUri(where.url(), spec);
      ConnectOptions options =
          ConnectOptions.builder()
              .certificateHashes(where.certificateHashes())
              .connectTimeout(connectTimeout)
              .build();
      stage("opening a session at " + where.url());
      CompletableFuture<WebTransportSession> opening;
      try {
        opening = WebTransportConnector.connect(uri, options);
      } catch (IllegalArgumentException e) {
        fail(e);
        return;
      }
      opening.whenComplete(
          (s, e) -> {
            if (e != null) {
              fail("cannot open a session at " + where.url() + ": " + unwrap(e).getMessage());
            } else {
              opened(s);
            }
          });
    }

    private void opened(WebTransportSession s) {
      session = s;
      if (ended()) {
        disconnect();
        return;
      }
      s.onClose((code, reason) -> lost(code + " " + reason));
      stage("opening the RPC stream");
      s.openBidirectionalStream()
          .whenComplete(
              (stream, e) -> {
                if (e != null) {
                  fail("cannot open the RPC stream: " + unwrap(e).getMessage());
                } else {
                  start(stream);
                }
              });
    }

    private void start(WtStream stream) {
      DeviceMessages.Dialog opened =
          talkOver(text -> stream.write((text + "\n").getBytes(StandardCharsets.UTF_8)));
      stream.onData(
          bytes -> {
            long received = System.nanoTime();
            List<byte[]> messages;
            try {
              messages = lines.decode(bytes);
            } catch (MessageFraming.FramingException e) {
              lost("unreadable RPC stream: " + e.getMessage());
              return;
            }
            for (byte[] message : messages) {
              opened.onText(new String(message, StandardCharsets.UTF_8), received);
            }
          });
      // A closing session resets its streams first: then its close says why, not the reset.
      stream.onEnd(() -> lostUnlessClosing("the server ended the RPC stream"));
      stream.onReset(code -> lostUnlessClosing("the RPC stream was reset (" + code + ")"));
      stage(spec.channels().isEmpty() ? "waiting for pong" : "waiting for the subscribe answer");
      dialog = opened;
      opened.open(spec.channels(), true);
    }

    private void lostUnlessClosing(String reason) {
      WebTransportSession s = session;
      if (s == null || !s.isClosed()) {
        lost(reason);
      }
    }

    @Override
    void disconnect() {
      WebTransportSession s = session;
      if (s != null && !s.isClosed()) {
        s.close(NORMAL_CLOSE, "closed by the load test");
      }
    }
  }
}
