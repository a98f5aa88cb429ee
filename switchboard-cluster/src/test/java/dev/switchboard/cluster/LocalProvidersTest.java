package dev.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A node's providers: what they offer, which one a call goes to, and when they change. */
class LocalProvidersTest {

  private final LocalProviders providers = new LocalProviders();

  /** A provider whose calls stay running until {@code done} completes; answers its id. */
  private Invokers.Invoker held(String id, CompletableFuture<Void> done) {
    return (function, params, timeout) ->
        CommandRunner.Running.of(done.thenApply(v -> (JsonNode) new TextNode(id)), () -> {});
  }

  private String run(String function, List<String> locs) {
    return providers
        .start(function, locs, TestJson.json("[]"), Duration.ofSeconds(1))
        .orElseThrow()
        .result()
        .toCompletableFuture()
        .join()
        .asText();
  }

  @Test
  void aCallGoesToAProviderWhoseResourcesIncludeEveryLoc() {
    CompletableFuture<Void> now = CompletableFuture.completedFuture(null);
    providers.add("a", List.of("f"), List.of("x"), false, held("a", now));
    providers.add("b", List.of("f"), List.of("x", "y"), false, held("b", now));

    assertThat(run("f", List.of("y", "x"))).isEqualTo("b");
    assertThat(providers.start("f", List.of("z"), TestJson.json("[]"), Duration.ofSeconds(1)))
        .isEmpty();
  }

  @Test
  void theLeastBusyMatchingProviderGetsTheCall() {
    CompletableFuture<Void> never = new CompletableFuture<>();
    providers.add("a", List.of("f"), List.of(), false, held("a", never));
    providers.add("b", List.of("f"), List.of(), false, held("b", never));
    providers.start("f", List.of(), TestJson.json("[]"), Duration.ofSeconds(1));
    providers.start("f", List.of(), TestJson.json("[]"), Duration.ofSeconds(1));

    assertThat(providers.load()).isEqualTo(2);
    never.complete(null);
    assertThat(providers.load()).isZero();
  }

  @Test
  void offersAreEveryProvidersFunctionsWithTheirResourcesAndEachChangeIsTold() {
    AtomicInteger changes = new AtomicInteger();
    providers.onChange(changes::incrementAndGet);
    CompletableFuture<Void> now = CompletableFuture.completedFuture(null);

    providers.add("a", List.of("g", "f"), List.of("y", "x"), true, held("a", now));
    providers.add("b", List.of("f"), List.of("x", "y"), true, held("b", now));

    assertThat(providers.offers())
        .containsExactly(
            new Offer("f", Set.of("x", "y"), true), new Offer("g", Set.of("x", "y"), true));
    assertThat(providers.offers().getFirst().resources()).containsExactly("x", "y");
    assertThat(providers.remove("a", List.of())).containsExactlyInAnyOrder("f", "g");
    assertThat(providers.offers()).containsExactly(new Offer("f", Set.of("x", "y"), true));
    assertThat(changes).hasValue(3);
    assertThat(providers.remove("a", List.of())).isEmpty();
    assertThat(changes).hasValue(3);
  }

  @Test
  void reservedOrBlankNamesAreRefusedNamingThem() {
    CompletableFuture<Void> now = CompletableFuture.completedFuture(null);
    assertThatThrownBy(() -> providers.add("a", List.of("rpc.x"), List.of(), false, held("a", now)))
        .hasMessageContaining("rpc.x")
        .hasMessageContaining("reserved");
    assertThatThrownBy(
            () -> providers.add("a", List.of("f"), List.of("a b"), false, held("a", now)))
        .hasMessageContaining("\"a b\"");
    assertThatThrownBy(() -> providers.add("a", List.of(), List.of(), false, held("a", now)))
        .hasMessageContaining("at least one");
    assertThat(providers.offers()).isEmpty();
  }
}
