package dev.switchboard.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every scenario runs blocking and async. */
class FallbackTest {

  enum Mode {
    BLOCKING,
    ASYNC
  }

  private final List<FallbackEvent> events = new CopyOnWriteArrayList<>();

  private Fallback<String> fallback(FallbackConfig.Builder<String> config) {
    Fallback<String> fallback = Fallback.of("profile", config.eventBus(new EventBus()).build());
    fallback.events().onEvent(events::add);
    return fallback;
  }

  static String run(Mode mode, Fallback<String> fallback, Callable<String> call) throws Throwable {
    if (mode == Mode.BLOCKING) {
      return fallback.call(call);
    }
    try {
      return fallback
          .callAsync(() -> RetryTest.stageOf(call))
          .toCompletableFuture()
          .get(5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause();
    }
  }

  static Callable<String> failing(Exception e) {
    return () -> {
      throw e;
    };
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aSuccessfulCallsResultIsKept(Mode mode) throws Throwable {
    assertThat(run(mode, fallback(FallbackConfig.<String>builder().value("cached")), () -> "live"))
        .isEqualTo("live");
    assertThat(events).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aValueReplacesAHandledFailure(Mode mode) throws Throwable {
    IOException down = new IOException("down");
    assertThat(run(mode, fallback(FallbackConfig.<String>builder().value("cached")), failing(down)))
        .isEqualTo("cached");
    assertThat(events)
        .singleElement()
        .isInstanceOfSatisfying(
            FallbackEvent.Recovered.class,
            e -> {
              assertThat(e.fallbackIndex()).isZero();
              assertThat(e.cause()).isSameAs(down);
            });
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aFunctionComputesTheResultFromTheFailure(Mode mode) throws Throwable {
    Fallback<String> fallback =
        fallback(FallbackConfig.<String>builder().recover(e -> "after " + e.getMessage()));
    assertThat(run(mode, fallback, failing(new IOException("down")))).isEqualTo("after down");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void whenAFallbackFailsTheNextOneIsTriedWithTheOriginalFailure(Mode mode) throws Throwable {
    Fallback<String> fallback =
        fallback(
            FallbackConfig.<String>builder()
                .recover(
                    e -> {
                      throw new IllegalStateException("cache down");
                    })
                .recover(e -> "default for " + e.getMessage()));
    assertThat(run(mode, fallback, failing(new IOException("db down"))))
        .isEqualTo("default for db down");
    assertThat(events).hasSize(2);
    assertThat(events.get(0)).isInstanceOf(FallbackEvent.FallbackFailed.class);
    assertThat(events.get(1))
        .isInstanceOfSatisfying(
            FallbackEvent.Recovered.class, e -> assertThat(e.fallbackIndex()).isEqualTo(1));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void whenEveryFallbackFailsTheLastFailureIsThrownWithTheOthersSuppressed(Mode mode) {
    List<ExceptionContext> contexts = new CopyOnWriteArrayList<>();
    Fallback<String> fallback =
        fallback(
            FallbackConfig.<String>builder()
                .recover(
                    e -> {
                      throw new IllegalStateException("cache down");
                    })
                .recover(
                    e -> {
                      throw new IllegalStateException("defaults missing");
                    })
                .exceptionHandling(ExceptionHandling.builder().onException(contexts::add).build()));
    assertThatThrownBy(() -> run(mode, fallback, failing(new IOException("db down"))))
        .hasMessage("defaults missing")
        .satisfies(
            e ->
                assertThat(e.getSuppressed())
                    .extracting(Throwable::getMessage)
                    .containsExactly("db down", "cache down"));
    assertThat(events.getLast()).isInstanceOf(FallbackEvent.AllFailed.class);
    assertThat(contexts)
        .singleElement()
        .satisfies(
            c ->
                assertThat(c.cause()).get().extracting(Throwable::getMessage).isEqualTo("db down"));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aFailureTheHandlingDoesNotCoverReachesTheCallerUnchanged(Mode mode) {
    Fallback<String> fallback =
        fallback(
            FallbackConfig.<String>builder()
                .value("cached")
                .exceptionHandling(ExceptionHandling.builder().handle(IOException.class).build()));
    assertThatThrownBy(() -> run(mode, fallback, failing(new IllegalArgumentException("bad id"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bad id");
    assertThat(events).isEmpty();
  }

  @Test
  void anAsyncCallThatThrowsInsteadOfReturningAStageFallsBackToo() {
    Fallback<String> fallback = fallback(FallbackConfig.<String>builder().value("cached"));
    CompletableFuture<String> result =
        fallback
            .callAsync(
                () -> {
                  throw new IllegalStateException("no stage");
                })
            .toCompletableFuture();
    assertThat(result).isCompletedWithValue("cached");
  }

  @Test
  void getRecoversUncheckedFailures() {
    Fallback<String> fallback = fallback(FallbackConfig.<String>builder().value("cached"));
    assertThat(
            fallback.get(
                () -> {
                  throw new IllegalStateException("down");
                }))
        .isEqualTo("cached");
  }
}
