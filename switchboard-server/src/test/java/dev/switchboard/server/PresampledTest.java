package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The SDK's sampler in front of which the server draws its own roots. */
class PresampledTest {

  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  private final Sampler sampler = new ServerTracing.Presampled(Sampler.alwaysOff());

  @Test
  void aSpanTheServerAlreadyKeptIsKeptWhateverTheConfiguredSamplerSays() {
    assertThat(
            sampler
                .shouldSample(
                    Context.root(),
                    TRACE,
                    "subscribe",
                    SpanKind.SERVER,
                    Attributes.of(ServerTracing.PRESAMPLED, true),
                    List.of())
                .getDecision())
        .isEqualTo(SamplingDecision.RECORD_AND_SAMPLE);
  }

  @Test
  void anyOtherSpanIsTheConfiguredSamplersToDecide() {
    assertThat(
            sampler
                .shouldSample(
                    Context.root(),
                    TRACE,
                    "subscribe",
                    SpanKind.SERVER,
                    Attributes.empty(),
                    List.of())
                .getDecision())
        .isEqualTo(SamplingDecision.DROP);
  }
}
