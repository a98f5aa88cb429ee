package dev.switchboard.server;

import dev.switchboard.gateway.DeliveryObserver;
import dev.switchboard.gateway.Notification;
import dev.switchboard.gateway.Target;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import java.time.Duration;

/**
 * The gateway's deliveries as spans ({@code notification.dispatch}, {@code queue.enqueue}, {@code
 * queue.replay}), children of whatever span is current on the thread doing the work (the send's
 * {@code notification.send}, the connection's {@code websocket.connection}), and their ACK latency
 * as a histogram. With tracing off, no span is made.
 */
final class DeliveryTelemetry implements DeliveryObserver {

  private final ServerTracing tracing;
  private final ServerMeters meters;

  DeliveryTelemetry(ServerTracing tracing, ServerMeters meters) {
    this.tracing = tracing;
    this.meters = meters;
  }

  @Override
  public Step dispatching(Target target, Notification notification) {
    if (!tracing.enabled()) {
      return Step.NONE;
    }
    Span span = tracing.start("notification.dispatch", SpanKind.INTERNAL, Context.current());
    if (!span.isRecording()) {
      return devices -> span.end();
    }
    span.setAttribute("notification.id", notification.id().toString())
        .setAttribute("notification.target_type", target.kind());
    return devices -> {
      span.setAttribute("notification.delivered_count", devices);
      span.end();
    };
  }

  /** A {@code queue.enqueue} span for a user none of whose devices took it: it stays queued. */
  @Override
  public Step enqueuing(String userKey, Notification notification) {
    if (!tracing.enabled()) {
      return Step.NONE;
    }
    Context parent = Context.current();
    if (!Span.fromContext(parent).isRecording()) {
      return Step.NONE; // its send is not sampled: neither is the enqueue
    }
    long start = ServerTracing.epochNanos();
    return devices -> {
      if (devices == 0) {
        tracing
            .startedAt("queue.enqueue", parent, start)
            .setAttribute("notification.id", notification.id().toString())
            .end();
      }
    };
  }

  @Override
  public Step replaying(String userKey) {
    if (!tracing.enabled()) {
      return Step.NONE;
    }
    Span span = tracing.start("queue.replay", SpanKind.INTERNAL, Context.current());
    return replayed -> {
      span.setAttribute("queue.replayed_count", replayed);
      span.end();
    };
  }

  @Override
  public void acknowledged(Duration latency) {
    meters.acknowledged(latency);
  }
}
