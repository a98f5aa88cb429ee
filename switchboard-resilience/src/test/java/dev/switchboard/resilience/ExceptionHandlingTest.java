package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ExceptionHandlingTest {

  private static final ExceptionContext OPEN =
      new ExceptionContext(
          "payments",
          PatternType.CIRCUIT_BREAKER,
          FailureReason.CIRCUIT_OPEN,
          Optional.empty(),
          Map.of("state", "OPEN"));

  @Test
  void byDefaultEveryExceptionCountsButErrorsDoNot() {
    ExceptionHandling handling = ExceptionHandling.defaults();
    assertThat(handling.handles(new IOException())).isTrue();
    assertThat(handling.handles(new IllegalStateException())).isTrue();
    assertThat(handling.handles(new AssertionError())).isFalse();
  }

  @Test
  void onlyTheNamedTypesAndTheirSubtypesCount() {
    ExceptionHandling handling = ExceptionHandling.builder().handle(IOException.class).build();
    assertThat(handling.handles(new java.io.FileNotFoundException())).isTrue();
    assertThat(handling.handles(new IllegalStateException())).isFalse();
  }

  @Test
  void aPredicateDecides() {
    ExceptionHandling handling =
        ExceptionHandling.builder()
            .handleIf(e -> e.getMessage() != null && e.getMessage().contains("retryable"))
            .build();
    assertThat(handling.handles(new RuntimeException("retryable: 503"))).isTrue();
    assertThat(handling.handles(new RuntimeException("400"))).isFalse();
  }

  @Test
  void theCallbackHearsTheContextAndTheTransformerChoosesWhatTheCallerSees() {
    List<ExceptionContext> heard = new ArrayList<>();
    ExceptionHandling handling =
        ExceptionHandling.builder()
            .onException(heard::add)
            .transform(
                ctx ->
                    new IllegalStateException(
                        ctx.patternName() + " is " + ctx.metadata().get("state")))
            .build();

    RuntimeException seen = handling.onFailure(OPEN, new RuntimeException("own"));

    assertThat(heard).containsExactly(OPEN);
    assertThat(seen).isInstanceOf(IllegalStateException.class).hasMessage("payments is OPEN");
  }

  @Test
  void withoutATransformerThePatternsOwnExceptionIsThrownAndACallbackThatThrowsIsIgnored() {
    ExceptionHandling handling =
        ExceptionHandling.builder()
            .onException(
                ctx -> {
                  throw new IllegalStateException("callback bug");
                })
            .build();
    RuntimeException own = new RuntimeException("own");

    assertThat(handling.onFailure(OPEN, own)).isSameAs(own);
  }

  @Test
  void reportingOnlyTellsTheCallbackAndRunsNoTransformer() {
    List<ExceptionContext> heard = new ArrayList<>();
    List<ExceptionContext> transformed = new ArrayList<>();
    ExceptionHandling handling =
        ExceptionHandling.builder()
            .onException(heard::add)
            .transform(
                ctx -> {
                  transformed.add(ctx);
                  return new IllegalStateException();
                })
            .build();

    handling.report(OPEN);

    assertThat(heard).containsExactly(OPEN);
    assertThat(transformed).isEmpty();
  }
}
