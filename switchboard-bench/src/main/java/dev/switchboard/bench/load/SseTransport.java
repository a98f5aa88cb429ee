package dev.switchboard.bench.load;

import dev.switchboard.bench.DeviceFleet;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Devices over Server-Sent Events ({@code sse}): {@code GET /sse?token=<JWT>&channels=a,b}, a
 * {@code text/event-stream} read with {@link SseParser}. The device is connected at the stream's
 * first event, {@code connected} (its channels are followed by then); each {@code notification}
 * event's data is the notification's params. One Vert.x instance with a few event loops serves
 * every stream, spread over the loops one context each ({@link DeviceFleet#eventLoopContexts}).
 */
final class SseTransport extends VertxDeviceTransport<SseTransport.Device> {

  static final String NAME = "sse";

  private static final int MAX_LINE_BYTES = 1 << 20;

  /** How much of a refusal's body the connect failure quotes. */
  private static final int MAX_QUOTED_BODY = 300;

  private final LoadTarget target;
  private final HttpClientAgent client;

  /**
   * The streams the client's pool allows by default: more than the ephemeral ports (about 28,000)
   * one client address has towards one server port.
   */
  static final int DEFAULT_MAX_STREAMS = 65_536;

  /** Two event loops, at most {@link #DEFAULT_MAX_STREAMS} streams. */
  SseTransport(LoadTarget target, Duration connectTimeout) {
    this(target, 2, DEFAULT_MAX_STREAMS, connectTimeout);
  }

  /**
   * @param eventLoops the Vert.x event loops that run the streams (1 or 2 are plenty)
   * @param maxStreams the most streams open at once (each holds an HTTP/1.1 connection of the
   *     client's pool, which Vert.x sizes up front: give the device count, not a huge number)
   * @param connectTimeout how long a device may take until its {@code connected} event
   */
  SseTransport(LoadTarget target, int eventLoops, int maxStreams, Duration connectTimeout) {
    super(NAME, connectTimeout, eventLoops);
    this.target = Objects.requireNonNull(target, "target");
    this.client =
        vertx.createHttpClient(
            new HttpClientOptions()
                .setTcpNoDelay(true)
                .setConnectTimeout((int) connectTimeout.toMillis()),
            new PoolOptions().setHttp1MaxSize(maxStreams));
  }

  @Override
  Device newDevice(DeviceSpec spec, DeviceListener listener) {
    return new Device(spec, listener);
  }

  @Override
  void open(Device device) {
    device.open();
  }

  /** {@code /sse}, with {@code token=} and {@code channels=} when the device has them. */
  static String path(DeviceSpec spec) {
    List<String> query = new ArrayList<>();
    spec.token().ifPresent(t -> query.add("token=" + encode(t)));
    if (!spec.channels().isEmpty()) {
      query.add(
          "channels="
              + String.join(",", spec.channels().stream().map(SseTransport::encode).toList()));
    }
    return "/sse" + (query.isEmpty() ? "" : "?" + String.join("&", query));
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  /** One stream; everything but {@link #close()} runs on the connection's event loop. */
  final class Device extends DeviceConnection {
    private final DeviceSpec spec;
    private final SseParser parser;
    private volatile HttpClientRequest request;

    /** When the chunk being parsed was read. */
    private long chunkNanos;

    /** The last {@code error} event's data: why the server is ending the stream. */
    private String serverError;

    Device(DeviceSpec spec, DeviceListener listener) {
      super(NAME, listener, live);
      this.spec = spec;
      this.parser = new SseParser(this::onEvent, MAX_LINE_BYTES);
    }

    void open() {
      if (ended()) {
        return;
      }
      URI uri = target.resolve(path(spec));
      RequestOptions options =
          new RequestOptions()
              .setMethod(HttpMethod.GET)
              .setAbsoluteURI(uri.toString())
              .putHeader("Accept", "text/event-stream")
              .setConnectTimeout(connectTimeout.toMillis());
      stage("opening the stream");
      client
          .request(options)
          .onComplete(
              req -> {
                request = req;
                if (ended()) {
                  disconnect();
                  return;
                }
                req.send().onComplete(this::onResponse, e -> fail("GET /sse failed: " + e));
              },
              e -> fail("cannot reach " + target.resolve("/sse") + ": " + e.getMessage()));
    }

    private void onResponse(HttpClientResponse response) {
      if (response.statusCode() != 200) {
        int status = response.statusCode();
        response
            .body()
            .onComplete(
                body -> fail("GET /sse answered " + status + ": " + quote(body)),
                e -> fail("GET /sse answered " + status));
        return;
      }
      stage("waiting for the connected event");
      response.handler(this::onChunk);
      response.endHandler(v -> lost(ending("the server ended the stream")));
      response.exceptionHandler(e -> lost(ending("error: " + e)));
    }

    private void onChunk(Buffer chunk) {
      chunkNanos = System.nanoTime();
      try {
        parser.feed(chunk.getBytes());
      } catch (IllegalArgumentException e) {
        lost("unreadable event stream: " + e.getMessage());
      }
    }

    private void onEvent(SseParser.Event event) {
      switch (event.type()) {
        case "connected" -> ready();
        case "notification" -> {
          DeviceMessages.Delivery delivery;
          try {
            delivery = DeviceMessages.delivery(event.data());
          } catch (IllegalArgumentException e) {
            return; // not ours to judge: the run counts what arrives
          }
          listener().delivered(delivery.id(), delivery.sentNanos(), chunkNanos);
        }
        case "error" -> serverError = DeviceMessages.abbreviate(event.data());
        default -> {} // heartbeat, shutdown
      }
    }

    private String ending(String how) {
      return serverError == null ? how : how + " after error " + serverError;
    }

    private static String quote(Buffer body) {
      String text = body.toString(StandardCharsets.UTF_8);
      return text.length() <= MAX_QUOTED_BODY ? text : text.substring(0, MAX_QUOTED_BODY) + "...";
    }

    @Override
    void disconnect() {
      HttpClientRequest req = request;
      if (req == null) {
        return;
      }
      HttpConnection connection = req.connection();
      if (connection != null) {
        connection.close();
      } else {
        req.reset();
      }
    }
  }
}
