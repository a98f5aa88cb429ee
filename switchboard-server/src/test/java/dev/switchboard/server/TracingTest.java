package dev.switchboard.server;

import static dev.switchboard.rpc.RpcObserver.UNKNOWN_METHOD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.testing.OtlpReceiver;
import dev.switchboard.testing.ReceivedSpan;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OpenTelemetry traces, exported over OTLP to a real receiver that decodes them ({@link
 * OtlpReceiver}), configured as an operator would: {@code tracing.enabled} and the standard {@code
 * OTEL_*} variables.
 */
class TracingTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** A caller's trace: its id, and the span of the caller that sent the request. */
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

  private static final String CALLER_SPAN = "00f067aa0ba902b7";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01";

  private OtlpReceiver receiver;
  private PushFixture push;

  @BeforeEach
  void startReceiver() {
    receiver = OtlpReceiver.start();
  }

  @AfterEach
  void stop() {
    if (push != null) {
      push.close();
    }
    receiver.close();
  }

  /** The server, tracing to the receiver over {@code protocol}. */
  private void start(String protocol, Map<String, String> more, Optional<Double> ratio) {
    Map<String, String> otel = new HashMap<>(more);
    otel.put("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
    otel.put("OTEL_EXPORTER_OTLP_PROTOCOL", protocol);
    otel.put("OTEL_SERVICE_NAME", "switchboard-under-test");
    otel.put("OTEL_BSP_SCHEDULE_DELAY", "50");
    Observability.Tracing tracing = Observability.Tracing.on(otel);
    if (ratio.isPresent()) {
      tracing = tracing.withSamplingRatio(ratio.get());
    }
    push =
        PushFixture.start(
            PushFixture.production().observability(Observability.DEFAULTS.withTracing(tracing)));
  }

  private static Predicate<List<ReceivedSpan>> has(String name) {
    return spans -> spans.stream().anyMatch(s -> s.name().equals(name));
  }

  private static ReceivedSpan named(List<ReceivedSpan> spans, String name) {
    return spans.stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans));
  }

  @Test
  void aSendWithATraceparentContinuesTheCallersTraceDownToItsDispatch() {
    start("http/protobuf", Map.of(), Optional.empty());
    PushDevice alice = push.device("alice");

    PushHttp.Response answer =
        push.http.post(
            "/api/v1/notifications/send",
            PushHttp.json("{'target_user_id':'alice','event_type':'traced','payload':{}}"),
            "traceparent",
            TRACEPARENT);
    assertThat(answer.status()).isEqualTo(200);
    alice.awaitEvent("traced");
    String id = PushHttp.parse(answer.body()).get("notification_id").asText();

    List<ReceivedSpan> spans = receiver.awaitSpans(has("notification.dispatch"), WAIT);
    ReceivedSpan request = named(spans, "http.request");
    ReceivedSpan send = named(spans, "notification.send");
    ReceivedSpan dispatch = named(spans, "notification.dispatch");
    assertThat(List.of(request, send, dispatch))
        .allSatisfy(s -> assertThat(s.traceId()).isEqualTo(TRACE_ID))
        .allSatisfy(s -> assertThat(s.serviceName()).isEqualTo("switchboard-under-test"));
    assertThat(request.parentSpanId()).contains(CALLER_SPAN);
    assertThat(request.kind()).isEqualTo(ReceivedSpan.Kind.SERVER);
    assertThat(request.attributes())
        .containsEntry("http.request.method", "POST")
        .containsEntry("http.route", "/api/v1/notifications/send")
        .containsEntry("http.response.status_code", 200L);
    assertThat(send.parentSpanId()).contains(request.spanId());
    assertThat(send.attributes())
        .containsEntry("notification.id", id)
        .containsEntry("notification.target_type", "user")
        .containsEntry("notification.event_type", "traced")
        .containsEntry("notification.delivered_count", 1L)
        .containsEntry("tenant.id", "default");
    assertThat(dispatch.parentSpanId()).contains(send.spanId());
  }

  @Test
  void anOfflineUsersNotificationIsEnqueuedAndReplayedUnderTheirConnection() {
    start("grpc", Map.of(), Optional.empty());
    push.sendTo("carol", "while-away");

    PushDevice carol = push.device("carol");
    carol.awaitEvent("while-away");
    carol.close();

    List<ReceivedSpan> spans =
        receiver.awaitSpans(has("queue.enqueue").and(has("websocket.connection")), WAIT);
    ReceivedSpan enqueue = named(spans, "queue.enqueue");
    assertThat(enqueue.parentSpanId()).contains(named(spans, "notification.send").spanId());
    ReceivedSpan connection = named(spans, "websocket.connection");
    ReceivedSpan replay = named(spans, "queue.replay");
    assertThat(replay.parentSpanId()).contains(connection.spanId());
    assertThat(replay.attributes()).containsEntry("queue.replayed_count", 1L);
    assertThat(connection.attributes())
        .containsEntry("enduser.id", "carol")
        .containsEntry("websocket.close_code", 1000L)
        .containsKey("connection.id");
    assertThat(receiver.exports(OtlpReceiver.Protocol.GRPC)).isPositive();
  }

  @Test
  void aDevicesCallCarryingATraceparentIsAServerSpanOfTheCallersTrace() {
    start("http/protobuf", Map.of(), Optional.empty());
    PushDevice dave = push.device("dave");

    dave.sendText(
        PushHttp.json(
            "{'jsonrpc':'2.0','id':'traced-1','method':'subscribe',"
                + "'params':{'channels':['news']},'traceparent':'"
                + TRACEPARENT
                + "'}"));
    dave.await(m -> "traced-1".equals(m.path("id").asText()), "the subscribe answer");
    dave.sendText(PushHttp.json("{'jsonrpc':'2.0','id':'traced-2','method':'no.such.method'}"));
    dave.await(m -> "traced-2".equals(m.path("id").asText()), "the unknown method's answer");

    List<ReceivedSpan> spans = receiver.awaitSpans(has("subscribe").and(has(UNKNOWN_METHOD)), WAIT);
    ReceivedSpan call = named(spans, "subscribe");
    assertThat(call.kind()).isEqualTo(ReceivedSpan.Kind.SERVER);
    assertThat(call.traceId()).isEqualTo(TRACE_ID);
    assertThat(call.parentSpanId()).contains(CALLER_SPAN);
    assertThat(call.attributes())
        .containsEntry("rpc.system", "jsonrpc")
        .containsEntry("rpc.method", "subscribe")
        .doesNotContainKey("rpc.jsonrpc.error_code");
    ReceivedSpan unknown = named(spans, UNKNOWN_METHOD);
    assertThat(unknown.attributes()).containsEntry("rpc.jsonrpc.error_code", -32601L);
    assertThat(unknown.status()).isEqualTo(ReceivedSpan.StatusCode.ERROR);
    assertThat(unknown.isRoot()).as("a call without a traceparent starts a trace").isTrue();
  }

  @Test
  void atRatioZeroTheServerStartsNoTraceButFollowsACallersSampledOne() {
    start("http/protobuf", Map.of(), Optional.of(0.0));

    push.sendTo("nobody", "unsampled");
    PushDevice erin = push.device("erin");
    erin.call("subscribe", "{'channels':['unsampled']}"); // a device's call starting a trace
    push.http.post(
        "/api/v1/notifications/send",
        PushHttp.json("{'target_user_id':'nobody','event_type':'sampled','payload':{}}"),
        "traceparent",
        TRACEPARENT);
    erin.sendText(
        PushHttp.json(
            "{'jsonrpc':'2.0','id':'sampled-call','method':'subscribe',"
                + "'params':{'channels':['sampled']},'traceparent':'"
                + TRACEPARENT
                + "'}"));
    erin.await(m -> "sampled-call".equals(m.path("id").asText()), "the traced call's answer");

    List<ReceivedSpan> spans =
        receiver.awaitSpans(has("notification.send").and(has("subscribe")), WAIT);
    push.close(); // flushes whatever is left
    push = null;
    assertThat(receiver.spans())
        .as("only the caller's sampled trace")
        .allSatisfy(s -> assertThat(s.traceId()).isEqualTo(TRACE_ID));
    assertThat(spans).isNotEmpty();
    assertThat(receiver.spans().stream().filter(x -> x.name().equals("subscribe")))
        .as("the device's own call was not kept, the one carrying the sampled trace was")
        .hasSize(1);
  }

  @Test
  void atRatioOneEveryCallADeviceStartsIsKept() {
    start("http/protobuf", Map.of(), Optional.of(1.0));
    PushDevice fay = push.device("fay");

    fay.call("subscribe", "{'channels':['kept']}");

    ReceivedSpan call = named(receiver.awaitSpans(has("subscribe"), WAIT), "subscribe");
    assertThat(call.isRoot()).isTrue();
    assertThat(call.attributes()).containsEntry("rpc.method", "subscribe");
  }

  @Test
  void settingsTheSdkRefusesStopTheStartWithWhatWasWrong() {
    ServerConfig config =
        PushFixture.production()
            .observability(
                Observability.DEFAULTS.withTracing(
                    Observability.Tracing.on(Map.of("OTEL_EXPORTER_OTLP_PROTOCOL", "bogus"))))
            .build();

    assertThatThrownBy(() -> SwitchboardServer.start(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid tracing settings")
        .hasMessageContaining("bogus");
  }

  @Test
  void withTracingOffNothingIsExportedEvenWhereTheOtelVariablesPoint() {
    push =
        PushFixture.start(
            PushFixture.production()
                .observability(
                    Observability.DEFAULTS.withTracing(
                        new Observability.Tracing(
                            false,
                            java.util.OptionalDouble.empty(),
                            Map.of(
                                "OTEL_EXPORTER_OTLP_ENDPOINT",
                                receiver.endpoint(),
                                "OTEL_EXPORTER_OTLP_PROTOCOL",
                                "http/protobuf")))));
    push.http.post(
        "/api/v1/notifications/send",
        PushHttp.json("{'target_user_id':'nobody','event_type':'quiet','payload':{}}"),
        "traceparent",
        TRACEPARENT);
    push.close();
    push = null;

    assertThat(receiver.spans()).isEmpty();
    assertThat(receiver.exports(OtlpReceiver.Protocol.HTTP_PROTOBUF)).isZero();
  }
}
