package dev.switchboard.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.testing.OtlpReceiver.Protocol;
import dev.switchboard.testing.ReceivedSpan.Kind;
import dev.switchboard.testing.ReceivedSpan.StatusCode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.export.GrpcSenderProvider;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The receiver against the OTel Java SDK's own OTLP exporters, over every sender they may use. */
class OtlpReceiverTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final String SERVICE = "switchboard-under-test";
  private static final String JDK_HTTP =
      "io.opentelemetry.exporter.sender.jdk.internal.JdkHttpSenderProvider";
  private static final String OKHTTP_HTTP =
      "io.opentelemetry.exporter.sender.okhttp.internal.OkHttpHttpSenderProvider";
  private static final String OKHTTP_GRPC =
      "io.opentelemetry.exporter.sender.okhttp.internal.OkHttpGrpcSenderProvider";

  /** An OTLP span exporter, with the sender it goes through and whether it gzips. */
  enum Exporter {
    GRPC_OKHTTP(Protocol.GRPC, OKHTTP_GRPC, "none"),
    GRPC_OKHTTP_GZIP(Protocol.GRPC, OKHTTP_GRPC, "gzip"),
    HTTP_JDK(Protocol.HTTP_PROTOBUF, JDK_HTTP, "none"),
    HTTP_JDK_GZIP(Protocol.HTTP_PROTOBUF, JDK_HTTP, "gzip"),
    HTTP_OKHTTP(Protocol.HTTP_PROTOBUF, OKHTTP_HTTP, "none");

    final Protocol protocol;
    final String sender;
    final String compression;

    Exporter(Protocol protocol, String sender, String compression) {
      this.protocol = protocol;
      this.sender = sender;
      this.compression = compression;
    }

    SpanExporter pointedAt(OtlpReceiver receiver) {
      ComponentLoader loader = onlySender(sender);
      return switch (protocol) {
        case GRPC ->
            OtlpGrpcSpanExporter.builder()
                .setEndpoint(receiver.endpoint())
                .setCompression(compression)
                .setComponentLoader(loader)
                .build();
        case HTTP_PROTOBUF ->
            OtlpHttpSpanExporter.builder()
                .setEndpoint(receiver.endpoint() + "/v1/traces")
                .setCompression(compression)
                .setComponentLoader(loader)
                .build();
      };
    }
  }

  private OtlpReceiver receiver;

  @BeforeEach
  void startReceiver() {
    receiver = OtlpReceiver.start();
  }

  @AfterEach
  void stopReceiver() {
    receiver.close();
  }

  @Test
  void listensOnLoopbackAndStartsEmpty() {
    assertThat(receiver.endpoint()).matches("http://127\\.0\\.0\\.1:\\d+");
    assertThat(receiver.spans()).isEmpty();
    assertThat(receiver.exports(Protocol.GRPC)).isZero();
    assertThat(receiver.exports(Protocol.HTTP_PROTOBUF)).isZero();
  }

  @ParameterizedTest
  @EnumSource(Exporter.class)
  void decodesTheSpansAnSdkExporterSends(Exporter exporter) {
    SdkTracerProvider tracing = tracing(exporter.pointedAt(receiver));
    Tracer tracer = tracing.get("switchboard.test");

    Span root = tracer.spanBuilder("POST /rpc").setSpanKind(SpanKind.SERVER).startSpan();
    root.setAttribute("http.request.method", "POST");
    root.setAttribute("http.response.status_code", 200L);
    root.setAttribute("load", 0.5);
    root.setAttribute("cached", true);
    root.setAttribute(AttributeKey.stringArrayKey("rooms"), List.of("lobby", "kitchen"));
    Span child =
        tracer
            .spanBuilder("redis PUBLISH")
            .setParent(Context.root().with(root))
            .setSpanKind(SpanKind.CLIENT)
            .startSpan();
    child.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, "connection reset");
    child.end();
    root.end();
    assertThat(tracing.forceFlush().join(TIMEOUT.toSeconds(), TimeUnit.SECONDS).isSuccess())
        .as("the exporter understood the receiver's answer")
        .isTrue();

    List<ReceivedSpan> spans = receiver.awaitSpans(2, TIMEOUT);
    ReceivedSpan server = named(spans, "POST /rpc");
    ReceivedSpan client = named(spans, "redis PUBLISH");
    assertThat(server.traceId()).isEqualTo(root.getSpanContext().getTraceId());
    assertThat(server.spanId()).isEqualTo(root.getSpanContext().getSpanId());
    assertThat(server.isRoot()).isTrue();
    assertThat(server.kind()).isEqualTo(Kind.SERVER);
    assertThat(server.status()).isEqualTo(StatusCode.UNSET);
    assertThat(server.attributes())
        .containsExactlyEntriesOf(
            orderedMap(
                "http.request.method",
                "POST",
                "http.response.status_code",
                200L,
                "load",
                0.5,
                "cached",
                true,
                "rooms",
                List.of("lobby", "kitchen")));
    assertThat(server.serviceName()).isEqualTo(SERVICE);
    assertThat(server.scopeName()).isEqualTo("switchboard.test");
    assertThat(server.endEpochNanos()).isGreaterThanOrEqualTo(server.startEpochNanos());

    assertThat(client.traceId()).isEqualTo(server.traceId());
    assertThat(client.parentSpanId()).contains(server.spanId());
    assertThat(client.kind()).isEqualTo(Kind.CLIENT);
    assertThat(client.status()).isEqualTo(StatusCode.ERROR);
    assertThat(client.statusMessage()).isEqualTo("connection reset");

    Protocol other = exporter.protocol == Protocol.GRPC ? Protocol.HTTP_PROTOBUF : Protocol.GRPC;
    assertThat(receiver.exports(exporter.protocol)).isEqualTo(2); // one per ended span
    assertThat(receiver.rejectedExports(exporter.protocol)).isZero();
    assertThat(receiver.exports(other)).isZero();
    tracing.shutdown().join(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void clearForgetsSpansAndCounts() {
    SdkTracerProvider tracing = tracing(Exporter.HTTP_JDK.pointedAt(receiver));
    tracing.get("switchboard.test").spanBuilder("forgotten").startSpan().end();
    tracing.forceFlush().join(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    receiver.awaitSpans(1, TIMEOUT);

    receiver.clear();

    assertThat(receiver.spans()).isEmpty();
    assertThat(receiver.exports(Protocol.HTTP_PROTOBUF)).isZero();
    tracing.shutdown().join(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void awaitingSpansThatNeverComeFailsWithWhatDidArrive() {
    try {
      receiver.awaitSpans(1, Duration.ofMillis(50));
    } catch (AssertionError expected) {
      assertThat(expected).hasMessageContaining("never matched").hasMessageContaining("spans []");
      return;
    }
    throw new AssertionError("awaitSpans returned without a span");
  }

  @Test
  void anUndecodableHttpExportIsAnswered400AndCounted() throws Exception {
    HttpResponse<byte[]> response =
        postHttp("application/x-protobuf", "not a protobuf".getBytes(StandardCharsets.UTF_8));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.headers().firstValue("content-type")).contains("application/x-protobuf");
    assertThat(receiver.exports(Protocol.HTTP_PROTOBUF)).isEqualTo(1);
    assertThat(receiver.rejectedExports(Protocol.HTTP_PROTOBUF)).isEqualTo(1);
    assertThat(receiver.spans()).isEmpty();
  }

  @Test
  void anHttpExportInJsonIsAnswered415() throws Exception {
    HttpResponse<byte[]> response =
        postHttp("application/json", "{}".getBytes(StandardCharsets.UTF_8));

    assertThat(response.statusCode()).isEqualTo(415);
    assertThat(receiver.rejectedExports(Protocol.HTTP_PROTOBUF)).isEqualTo(1);
  }

  @Test
  void anUndecodableGrpcExportIsAnsweredInvalidArgumentAndCounted() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      HttpClientAgent client =
          vertx.createHttpClient(
              new HttpClientOptions()
                  .setProtocolVersion(HttpVersion.HTTP_2)
                  .setHttp2ClearTextUpgrade(false));
      URI endpoint = URI.create(receiver.endpoint());
      byte[] garbage =
          TraceExportDecoder.grpcFrame("not a protobuf".getBytes(StandardCharsets.UTF_8));
      HttpClientResponse response =
          client
              .request(
                  new RequestOptions()
                      .setMethod(HttpMethod.POST)
                      .setHost(endpoint.getHost())
                      .setPort(endpoint.getPort())
                      .setURI(OtlpReceiver.GRPC_PATH)
                      .putHeader("content-type", "application/grpc")
                      .putHeader("te", "trailers"))
              .compose(request -> request.send(Buffer.buffer(garbage)))
              .compose(answer -> answer.body().map(body -> answer))
              .await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

      assertThat(response.version()).isEqualTo(HttpVersion.HTTP_2);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.getHeader("content-type")).isEqualTo("application/grpc");
      assertThat(response.getTrailer("grpc-status")).isEqualTo("3");
      assertThat(response.getTrailer("grpc-message")).contains("ExportTraceServiceRequest");
      assertThat(receiver.exports(Protocol.GRPC)).isEqualTo(1);
      assertThat(receiver.rejectedExports(Protocol.GRPC)).isEqualTo(1);
      assertThat(receiver.spans()).isEmpty();
    } finally {
      vertx.close().await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
  }

  private HttpResponse<byte[]> postHttp(String contentType, byte[] body) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(
          HttpRequest.newBuilder(URI.create(receiver.endpoint() + "/v1/traces"))
              .header("Content-Type", contentType)
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .timeout(TIMEOUT)
              .build(),
          HttpResponse.BodyHandlers.ofByteArray());
    }
  }

  private static SdkTracerProvider tracing(SpanExporter exporter) {
    return SdkTracerProvider.builder()
        .setResource(
            Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), SERVICE)))
        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
        .build();
  }

  private static ReceivedSpan named(List<ReceivedSpan> spans, String name) {
    return spans.stream()
        .filter(span -> span.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span named " + name + " in " + spans));
  }

  private static Map<String, Object> orderedMap(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }

  /**
   * Loads components as the SDK does, but offers only one sender, so each case runs through the
   * sender it names (both OkHttp's and the JDK's HTTP senders are on this class path).
   */
  private static ComponentLoader onlySender(String providerClassName) {
    ComponentLoader all = ComponentLoader.forClassLoader(OtlpReceiverTest.class.getClassLoader());
    return new ComponentLoader() {
      @Override
      public <T> Iterable<T> load(Class<T> spi) {
        if (spi != HttpSenderProvider.class && spi != GrpcSenderProvider.class) {
          return all.load(spi);
        }
        List<T> chosen = new ArrayList<>();
        for (T provider : all.load(spi)) {
          if (provider.getClass().getName().equals(providerClassName)) {
            chosen.add(provider);
          }
        }
        return chosen;
      }
    };
  }
}
