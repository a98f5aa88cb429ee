package dev.switchboard.server;

import static dev.switchboard.server.ClusterRpcFixture.cmd;
import static dev.switchboard.server.ClusterRpcFixture.graph;
import static dev.switchboard.server.ClusterRpcFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.cluster.CommandError;
import dev.switchboard.jsonrpc.ErrorObject;
import dev.switchboard.jsonrpc.Params;
import dev.switchboard.rpc.RpcException;
import dev.switchboard.rpc.RpcMethods;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code cluster.call} on one node without Redis (development mode, the embedded default): the
 * graph rules as a caller sees them on the wire, with the demo functions ({@code echo}, {@code
 * sum}) and a client provider on the same node.
 */
class ClusterCallTest {

  private final AtomicInteger ran = new AtomicInteger();
  private final PushFixture node =
      PushFixture.start(
          PushFixture.development()
              .clusterFunction(
                  "counted",
                  p -> {
                    ran.incrementAndGet();
                    return p;
                  })
              .clusterFunction("says", p -> "k"));
  private final SwitchboardClient client = SwitchboardClient.connect(node.ws(""));

  @AfterEach
  void close() {
    client.close();
    node.close();
  }

  private JsonNode call(long timeoutMs, ObjectNode... cmds) {
    return client.call("cluster.call", Params.named(graph(timeoutMs, cmds))).join();
  }

  private RpcException failure(ObjectNode... cmds) {
    return ClusterRpcFixture.failure(() -> call(5_000, cmds));
  }

  @Test
  void referencesAnywhereInParamsValuesAreReplacedByTheResultsTheyName() {
    JsonNode answer =
        call(
            5_000,
            cmd("a", "echo", json("[{'x': [1, 2]}]")),
            cmd("b", "sum", json("['a.0.x.0', 'a.0.x.1', 10]")),
            cmd("c", "echo", json("{'deep': {'list': ['b', 'plain text']}, 'b': 'not a key'}")));

    assertThat(answer.get("b").asInt()).isEqualTo(13);
    assertThat(answer.get("c"))
        .isEqualTo(json("{'deep': {'list': [13, 'plain text']}, 'b': 'not a key'}"));
  }

  @Test
  void aResultThatEqualsACommandNameIsSubstitutedOnceAndStaysAsItIs() {
    JsonNode answer =
        call(
            5_000,
            cmd("k", "echo", json("['from k']")),
            cmd("m", "says", json("[]")),
            cmd("n", "echo", json("['m']")));

    // m's result is the string "k", a command's name: it goes into n as it is, never read again.
    assertThat(answer.get("m").asText()).isEqualTo("k");
    assertThat(answer.get("n")).isEqualTo(json("['k']"));
  }

  @Test
  void graphsThatBreakARuleAreRefusedWithInvalidParamsNamingTheRuleAndNothingRuns() {
    Map<String, ObjectNode[]> broken =
        Map.of(
            "CYCLE",
            new ObjectNode[] {
              cmd("a", "counted", json("['b']")), cmd("b", "counted", json("['a']"))
            },
            "DUPLICATE_NAME",
            new ObjectNode[] {cmd("a", "counted", json("[]")), cmd("a", "counted", json("[]"))},
            "EMPTY",
            new ObjectNode[] {},
            "MISSING_METHOD",
            new ObjectNode[] {cmd("a", "counted", json("[]")).without("method")});

    broken.forEach(
        (rule, cmds) -> {
          RpcException e = failure(cmds);
          assertThat(e.code()).as(rule).isEqualTo(ErrorObject.INVALID_PARAMS);
          assertThat(e.error().data().orElseThrow().get("rule").asText()).isEqualTo(rule);
        });
    assertThat(ran).hasValue(0);
  }

  @Test
  void aPathThatDoesNotResolveFailsItsCommandAndItsDependentsWhileOthersFinish() {
    RpcException e =
        failure(
            cmd("a", "echo", json("[{'x': 1}]")),
            cmd("b", "counted", json("['a.0.y']")),
            cmd("c", "counted", json("['b']")),
            cmd("d", "echo", json("['alone']")));

    assertThat(e.code()).isEqualTo(CommandError.DEPENDENCY_FAILED);
    JsonNode data = e.error().data().orElseThrow();
    assertThat(data.at("/failed/b/code").asInt()).isEqualTo(CommandError.PATH_NOT_FOUND);
    assertThat(data.at("/skipped")).isEqualTo(json("['c']"));
    assertThat(data.at("/results").fieldNames()).toIterable().containsExactly("a", "d");
    assertThat(ran).hasValue(0);
  }

  @Test
  void aProvidersErrorFailsItsCommandWithThatError() {
    RpcException e = failure(cmd("bad", "sum", json("['not a number']")));

    assertThat(e.error().data().orElseThrow().at("/failed/bad/code").asInt())
        .isEqualTo(ErrorObject.INVALID_PARAMS);
    RpcException own =
        (RpcException)
            org.assertj.core.api.Assertions.catchThrowableOfType(
                    CompletionException.class,
                    () -> client.cluster().call("sum", Params.of("x")).join())
                .getCause();
    assertThat(own.code()).isEqualTo(ErrorObject.INVALID_PARAMS);
    assertThat(own.getMessage()).contains("sum adds numbers");
  }

  @Test
  void inDevelopmentAnyConnectionMayProvideAndItsCallsArriveAsRequests() {
    try (SwitchboardClient provider =
        SwitchboardClient.builder(node.ws(""))
            .methods(
                RpcMethods.builder()
                    .method("greet", c -> "hi " + c.param("name", String.class))
                    .build())
            .connect()) {
      assertThat(provider.cluster().register(List.of("greet"), List.of("edge"), false).join())
          .containsExactly("greet");

      JsonNode answer =
          client.cluster().call("greet", Params.named(Map.of("name", "ann")), "edge").join();

      assertThat(answer.asText()).isEqualTo("hi ann");
      assertThat(provider.cluster().unregister(List.of()).join()).containsExactly("greet");
    }
  }

  @Test
  void badTimeoutsAndBadRegistrationsAreInvalidParamsNamingWhatWasWrong() {
    RpcException timeout =
        (RpcException)
            org.assertj.core.api.Assertions.catchThrowableOfType(
                    CompletionException.class,
                    () ->
                        client
                            .call(
                                "cluster.call",
                                Params.named(
                                    Map.of(
                                        "cmds",
                                        List.of(cmd("a", "echo", json("[]"))),
                                        "timeout_ms",
                                        0)))
                            .join())
                .getCause();
    assertThat(timeout.getMessage()).contains("timeout_ms");
    RpcException reserved =
        (RpcException)
            org.assertj.core.api.Assertions.catchThrowableOfType(
                    CompletionException.class,
                    () -> client.cluster().register(List.of("rpc.steal"), List.of(), false).join())
                .getCause();
    assertThat(reserved.code()).isEqualTo(ErrorObject.INVALID_PARAMS);
    assertThat(reserved.getMessage()).contains("reserved");
  }
}
