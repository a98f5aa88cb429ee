package dev.switchboard.testing;

import com.google.protobuf.CodedOutputStream;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real OTLP trace receiver for tests: a Vert.x HTTP server on a free loopback port that accepts
 * both OTLP/HTTP ({@code POST /v1/traces}, {@code application/x-protobuf}) and OTLP/gRPC (HTTP/2
 * cleartext with prior knowledge, {@code POST
 * /opentelemetry.proto.collector.trace.v1.TraceService/Export}), decodes each export with the
 * official protobuf classes and keeps the spans for the test to check. Gzip-compressed exports are
 * accepted on both. An export it cannot decode is answered with HTTP 400 or {@code grpc-status: 3}
 * (INVALID_ARGUMENT), counted in {@link #rejectedExports(Protocol)}, and never thrown.
 *
 * <p>Point an exporter at {@link #endpoint()}: it is the base URL that {@code
 * OTEL_EXPORTER_OTLP_ENDPOINT} takes for either {@link Protocol}; an OTLP/HTTP span exporter
 * configured directly takes {@code endpoint() + "/v1/traces"}.
 *
 * <p>Thread-safe: exports arrive on a Vert.x event loop while the test reads and awaits on its own
 * thread. {@link #close()} stops the server and its Vert.x instance.
 */
public final class OtlpReceiver implements AutoCloseable {

  /** The two OTLP transports, named as {@code OTEL_EXPORTER_OTLP_PROTOCOL} names them. */
  public enum Protocol {
    GRPC("grpc"),
    HTTP_PROTOBUF("http/protobuf");

    private final String value;

    Protocol(String value) {
      this.value = value;
    }

    /** The value of {@code OTEL_EXPORTER_OTLP_PROTOCOL} that selects this transport. */
    public String value() {
      return value;
    }
  }

  static final String HTTP_PATH = "/v1/traces";
  static final String GRPC_PATH = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";

  private static final Logger log = LoggerFactory.getLogger(OtlpReceiver.class);
  private static final String HOST = "127.0.0.1";
  private static final Duration START_STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final String PROTOBUF = "application/x-protobuf";
  private static final String GRPC = "application/grpc";
  private static final int GRPC_OK = 0;
  private static final int GRPC_INVALID_ARGUMENT = 3;
  private static final int GRPC_UNIMPLEMENTED = 12;

  private final Vertx vertx;
  private final HttpServer server;

  /** Guards the fields below; {@link #changed} is signalled whenever they change. */
  private final ReentrantLock lock = new ReentrantLock();

  private final Condition changed = lock.newCondition();
  private final List<ReceivedSpan> spans = new ArrayList<>();
  private final Map<Protocol, Integer> exports = new EnumMap<>(Protocol.class);
  private final Map<Protocol, Integer> rejected = new EnumMap<>(Protocol.class);

  private OtlpReceiver(Vertx vertx, HttpServer server) {
    this.vertx = vertx;
    this.server = server;
  }

  /**
   * Starts a receiver on a free port of 127.0.0.1, listening when this returns.
   *
   * @throws IllegalStateException if the server does not listen within 10 s
   */
  public static OtlpReceiver start() {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    // h2c: a gRPC client speaks HTTP/2 at once ("prior knowledge") to an http:// endpoint, and
    // the JDK's HttpClient asks for an upgrade from HTTP/1.1; both need clear-text HTTP/2 on.
    HttpServer server =
        vertx.createHttpServer(
            new HttpServerOptions().setHost(HOST).setPort(0).setHttp2ClearTextEnabled(true));
    OtlpReceiver receiver = new OtlpReceiver(vertx, server);
    server.requestHandler(receiver::handle);
    try {
      server.listen().await(START_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("the OTLP receiver did not start listening on " + HOST, e);
    }
    return receiver;
  }

  /** The base URL of both protocols, {@code http://127.0.0.1:PORT}, without a trailing slash. */
  public String endpoint() {
    return "http://" + HOST + ":" + server.actualPort();
  }

  /** Every span received since the start or the last {@link #clear()}, in arrival order. */
  public List<ReceivedSpan> spans() {
    lock.lock();
    try {
      return List.copyOf(spans);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the spans received so far satisfy {@code until}, and returns them.
   *
   * @throws AssertionError if they do not within {@code timeout}; its message lists what arrived
   */
  public List<ReceivedSpan> awaitSpans(Predicate<List<ReceivedSpan>> until, Duration timeout) {
    Objects.requireNonNull(until, "until");
    Objects.requireNonNull(timeout, "timeout");
    long remaining = timeout.toNanos();
    lock.lock();
    try {
      while (true) {
        List<ReceivedSpan> snapshot = List.copyOf(spans);
        if (until.test(snapshot)) {
          return snapshot;
        }
        if (remaining <= 0) {
          throw new AssertionError(
              "the spans received within "
                  + timeout
                  + " never matched; exports "
                  + exports
                  + ", rejected "
                  + rejected
                  + ", spans "
                  + snapshot);
        }
        remaining = changed.awaitNanos(remaining);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while awaiting spans", e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until at least {@code count} spans have been received, and returns them all.
   *
   * @throws AssertionError if fewer arrive within {@code timeout}
   */
  public List<ReceivedSpan> awaitSpans(int count, Duration timeout) {
    return awaitSpans(received -> received.size() >= count, timeout);
  }

  /** How many export requests arrived over {@code protocol}, decodable or not. */
  public int exports(Protocol protocol) {
    return count(exports, protocol);
  }

  /** How many export requests over {@code protocol} were rejected as undecodable. */
  public int rejectedExports(Protocol protocol) {
    return count(rejected, protocol);
  }

  /** Forgets every span and count received so far. */
  public void clear() {
    lock.lock();
    try {
      spans.clear();
      exports.clear();
      rejected.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Stops the server and its Vert.x instance; waits up to 10 s for them. */
  @Override
  public void close() {
    try {
      vertx.close().await(START_STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("the OTLP receiver did not stop", e);
    }
  }

  private int count(Map<Protocol, Integer> counts, Protocol protocol) {
    Objects.requireNonNull(protocol, "protocol");
    lock.lock();
    try {
      return counts.getOrDefault(protocol, 0);
    } finally {
      lock.unlock();
    }
  }

  private void handle(HttpServerRequest request) {
    if (request.method() != HttpMethod.POST) {
      request.response().setStatusCode(405).end();
    } else if (request.path().equals(HTTP_PATH)) {
      request.body().onSuccess(body -> answerHttp(request, body.getBytes()));
    } else if (request.path().equals(GRPC_PATH)) {
      request.body().onSuccess(body -> answerGrpc(request, body.getBytes()));
    } else {
      request.response().setStatusCode(404).end();
    }
  }

  private void answerHttp(HttpServerRequest request, byte[] body) {
    HttpServerResponse response = request.response();
    String contentType = header(request, "content-type").orElse("");
    if (!mediaType(contentType).equals(PROTOBUF)) {
      reject(Protocol.HTTP_PROTOBUF, "unsupported Content-Type: " + contentType);
      response.setStatusCode(415).putHeader("content-type", PROTOBUF);
      response.end(Buffer.buffer(rpcStatus(GRPC_UNIMPLEMENTED, "use " + PROTOBUF)));
      return;
    }
    try {
      accept(
          Protocol.HTTP_PROTOBUF,
          TraceExportDecoder.decodeHttp(body, header(request, "content-encoding")));
    } catch (TraceExportDecoder.UndecodableExportException e) {
      reject(Protocol.HTTP_PROTOBUF, e.getMessage());
      // OTLP/HTTP: an error response carries a protobuf google.rpc.Status.
      response.setStatusCode(400).putHeader("content-type", PROTOBUF);
      response.end(Buffer.buffer(rpcStatus(GRPC_INVALID_ARGUMENT, e.getMessage())));
      return;
    }
    response.setStatusCode(200).putHeader("content-type", PROTOBUF);
    response.end(Buffer.buffer(ExportTraceServiceResponse.getDefaultInstance().toByteArray()));
  }

  private void answerGrpc(HttpServerRequest request, byte[] body) {
    HttpServerResponse response = request.response();
    response.setStatusCode(200).putHeader("content-type", GRPC);
    String contentType = header(request, "content-type").orElse("");
    if (!contentType.startsWith(GRPC)) {
      reject(Protocol.GRPC, "unsupported content-type: " + contentType);
      response.putTrailer("grpc-status", Integer.toString(GRPC_INVALID_ARGUMENT));
      response.putTrailer("grpc-message", grpcMessage("expected " + GRPC));
      response.end();
      return;
    }
    try {
      accept(Protocol.GRPC, TraceExportDecoder.decodeGrpc(body, header(request, "grpc-encoding")));
    } catch (TraceExportDecoder.UndecodableExportException e) {
      reject(Protocol.GRPC, e.getMessage());
      response.putTrailer("grpc-status", Integer.toString(GRPC_INVALID_ARGUMENT));
      response.putTrailer("grpc-message", grpcMessage(e.getMessage()));
      response.end();
      return;
    }
    response.putTrailer("grpc-status", Integer.toString(GRPC_OK));
    response.end(
        Buffer.buffer(
            TraceExportDecoder.grpcFrame(
                ExportTraceServiceResponse.getDefaultInstance().toByteArray())));
  }

  private void accept(Protocol protocol, List<ReceivedSpan> received) {
    lock.lock();
    try {
      exports.merge(protocol, 1, Integer::sum);
      spans.addAll(received);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void reject(Protocol protocol, String reason) {
    log.warn("rejected an OTLP {} export: {}", protocol.value(), reason);
    lock.lock();
    try {
      exports.merge(protocol, 1, Integer::sum);
      rejected.merge(protocol, 1, Integer::sum);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private static Optional<String> header(HttpServerRequest request, String name) {
    return Optional.ofNullable(request.getHeader(name));
  }

  private static String mediaType(String contentType) {
    int parameters = contentType.indexOf(';');
    String type = parameters < 0 ? contentType : contentType.substring(0, parameters);
    return type.trim().toLowerCase(Locale.ROOT);
  }

  /** gRPC sends {@code grpc-message} percent-encoded; spaces may stay as they are. */
  private static String grpcMessage(String message) {
    return URLEncoder.encode(message, StandardCharsets.UTF_8).replace("+", " ");
  }

  /** A {@code google.rpc.Status} (field 1 code, field 2 message), whose class we do not ship. */
  private static byte[] rpcStatus(int code, String message) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      out.writeInt32(1, code);
      out.writeString(2, message);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }
}
