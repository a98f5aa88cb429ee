package dev.switchboard.server;

import static dev.switchboard.server.ClusterRpcFixture.cmd;
import static dev.switchboard.server.ClusterRpcFixture.failure;
import static dev.switchboard.server.ClusterRpcFixture.graph;
import static dev.switchboard.server.ClusterRpcFixture.json;
import static dev.switchboard.server.ClusterRpcFixture.provider;
import static dev.switchboard.server.PushFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.cluster.CommandError;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.Params;
import dev.switchboard.rpc.RpcException;
import dev.switchboard.rpc.RpcMethods;
import dev.switchboard.testing.RedisServerProcess;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Three nodes sharing one real {@code redis-server}, each providing functions in-process with its
 * own resources: node-1 {@code gpu, model-a}, node-2 {@code dataset-1}, node-3 {@code model-b}.
 * Every node provides {@code where} (its id); node-2 {@code load}, node-3 {@code add}, node-1
 * {@code slow} (sleeps until interrupted) and {@code count} (counts its calls).
 */
class ClusteredRpcTest {

  private static RedisServerProcess redis;

  private final List<PushFixture> nodes = new ArrayList<>();
  private final List<AutoCloseable> clients = new ArrayList<>();
  private final AtomicInteger counted = new AtomicInteger();
  private final CountDownLatch slowInterrupted = new CountDownLatch(1);

  @BeforeAll
  static void startRedis() {
    redis = RedisServerProcess.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void startThreeNodes() {
    redis.flushAll();
    nodes.add(
        start(
            node("node-1", List.of("gpu", "model-a"))
                .clusterFunction(
                    "slow",
                    p -> {
                      try {
                        Thread.sleep(Duration.ofMinutes(1));
                        return "woke";
                      } catch (InterruptedException e) {
                        slowInterrupted.countDown();
                        throw e;
                      }
                    })
                .clusterFunction("count", p -> counted.incrementAndGet())));
    nodes.add(
        start(
            node("node-2", List.of("dataset-1"))
                .clusterFunction("load", p -> json("[{'n': 1, 'id': 'a'}, {'n': 2, 'id': 'b'}]"))));
    nodes.add(
        start(
            node("node-3", List.of("model-b"))
                .clusterFunction(
                    "add",
                    p -> {
                      BigDecimal total = BigDecimal.ZERO;
                      for (JsonNode n : p) {
                        total = total.add(n.decimalValue());
                      }
                      return total;
                    })));
    // Every node sees the others' functions before a test routes.
    for (PushFixture n : nodes) {
      try (SwitchboardClient c = ClusterRpcFixture.caller(n, "warm-up")) {
        for (String locs : List.of("gpu", "dataset-1", "model-b")) {
          await().atMost(WAIT).ignoreExceptions().until(() -> where(c, locs) != null);
        }
      }
    }
  }

  /** A node's config: production, its id and resources, and {@code where} answering its id. */
  private static ServerConfig.Builder node(String id, List<String> resources) {
    return PushFixture.production()
        .cluster(ClusterSettings.redis(redis.uri()).withNodeId(id).withResources(resources))
        .clusterFunction("where", p -> id, true);
  }

  private static PushFixture start(ServerConfig.Builder config) {
    return PushFixture.start(config);
  }

  @AfterEach
  void stopAll() throws Exception {
    for (AutoCloseable c : clients) {
      c.close();
    }
    nodes.forEach(PushFixture::close);
  }

  private PushFixture node(int n) {
    return nodes.get(n - 1);
  }

  private SwitchboardClient caller(int n) {
    SwitchboardClient c = ClusterRpcFixture.caller(node(n), "caller-" + n);
    clients.add(c);
    return c;
  }

  private static String where(SwitchboardClient c, String... locs) {
    return c.cluster().call("where", Params.none(), locs).join().asText();
  }

  @Test
  void aCommandRunsOnTheNodeWhoseResourcesIncludeAllItsLocs() {
    SwitchboardClient c = caller(1);

    assertThat(where(c, "dataset-1")).isEqualTo("node-2");
    assertThat(where(c, "model-b")).isEqualTo("node-3");
    assertThat(where(c, "gpu", "model-a")).isEqualTo("node-1");
  }

  @Test
  void aProviderOnTheCallersNodeComesFirst() {
    for (int n = 1; n <= 3; n++) {
      assertThat(where(caller(n))).isEqualTo("node-" + n);
    }
  }

  @Test
  void aThreeLevelGraphRunsAcrossThreeNodesAndAnswersEveryResultInRequestOrder() {
    JsonNode answer =
        caller(1)
            .call(
                "cluster.call",
                Params.named(
                    graph(
                        5_000,
                        cmd("rows", "load", json("[]"), "dataset-1"),
                        cmd("here", "where", json("[]"), "model-a"),
                        cmd("total", "add", json("['rows.0.n', 'rows.1.n', 40]"), "model-b"),
                        cmd("report", "where", json("{'sum': 'total', 'rows': 'rows'}")))))
            .join();

    assertThat(Json.toNode(answer).fieldNames())
        .toIterable()
        .containsExactly("rows", "here", "total", "report");
    assertThat(answer.get("rows").get(1).get("id").asText()).isEqualTo("b");
    assertThat(answer.get("here").asText()).isEqualTo("node-1");
    assertThat(answer.get("total").decimalValue()).isEqualByComparingTo("43");
    assertThat(answer.get("report").asText()).isEqualTo("node-1");
  }

  @Test
  void anUnknownFunctionIsRefusedBeforeAnythingRunsNamingIt() {
    SwitchboardClient c = caller(2);

    RpcException e =
        failure(
            () ->
                c.call(
                        "cluster.call",
                        Params.named(
                            graph(
                                5_000,
                                cmd("first", "count", json("[]"), "gpu"),
                                cmd("second", "nowhere", json("['first']")))))
                    .join());

    assertThat(e.code()).isEqualTo(CommandError.UNKNOWN_FUNCTION);
    assertThat(e.getMessage()).contains("\"second\"").contains("\"nowhere\"");
    assertThat(counted).hasValue(0);
  }

  @Test
  void resourcesNoProviderHasAreRefusedBeforeAnythingRunsNamingThem() {
    SwitchboardClient c = caller(3);

    RpcException e =
        failure(
            () ->
                c.call(
                        "cluster.call",
                        Params.named(
                            graph(
                                5_000,
                                cmd("first", "count", json("[]"), "gpu"),
                                cmd("both", "where", json("[]"), "gpu", "dataset-1"))))
                    .join());

    assertThat(e.code()).isEqualTo(CommandError.NO_PROVIDER);
    assertThat(e.getMessage()).contains("\"where\"").contains("[gpu, dataset-1]");
    assertThat(counted).hasValue(0);
  }

  @Test
  void aClientProviderOnAnotherNodeAnswersRoutedCallsAndItsFunctionsGoWhenItLeaves() {
    SwitchboardClient translator =
        provider(
            node(3),
            "translator",
            RpcMethods.builder()
                .method("translate", call -> "bonjour:" + call.param(0, String.class))
                .build());
    assertThat(
            translator.cluster().register(List.of("translate"), List.of("lang-fr"), false).join())
        .containsExactly("translate");
    SwitchboardClient c = caller(1);
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () -> c.cluster().call("translate", Params.of("hello"), "lang-fr").join().asText(),
            "bonjour:hello"::equals);

    translator.close();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        failure(
                                () ->
                                    c.cluster().call("translate", Params.of("x"), "lang-fr").join())
                            .code())
                    .isEqualTo(CommandError.UNKNOWN_FUNCTION));
  }

  @Test
  void inProductionRegisteringNeedsTheProviderRole() {
    SwitchboardClient plain = caller(2);

    RpcException e =
        failure(() -> plain.cluster().register(List.of("steal"), List.of(), false).join());

    assertThat(e.code()).isEqualTo(ClusterMethods.NOT_ALLOWED);
    assertThat(e.getMessage()).contains("provider");
    assertThat(failure(() -> caller(1).cluster().call("steal", Params.none()).join()).code())
        .isEqualTo(CommandError.UNKNOWN_FUNCTION);
  }

  @Test
  void onlyOtherNodesMayInvokeCommandsDirectly() {
    RpcException e =
        failure(
            () ->
                caller(1)
                    .call(
                        "cluster.invoke",
                        Params.named(Map.of("function", "where", "params", List.of())))
                    .join());

    assertThat(e.code()).isEqualTo(ClusterMethods.NOT_ALLOWED);
  }

  @Test
  void theGraphsDeadlineCancelsItsRunningCommandOnItsNodeAndAnswersWhatFinished() throws Exception {
    RpcException e =
        failure(
            () ->
                caller(2)
                    .call(
                        "cluster.call",
                        Params.named(
                            graph(
                                500,
                                cmd("quick", "where", json("[]"), "model-b"),
                                cmd("stuck", "slow", json("[]"), "gpu"),
                                cmd("after", "where", json("['stuck']")))))
                    .join());

    assertThat(e.code()).isEqualTo(CommandError.DEPENDENCY_FAILED);
    JsonNode data = e.error().data().orElseThrow();
    assertThat(data.at("/failed/stuck/code").asInt()).isEqualTo(CommandError.DEADLINE_EXCEEDED);
    assertThat(data.at("/skipped").toString()).isEqualTo("[\"after\"]");
    assertThat(data.at("/results/quick").asText()).isEqualTo("node-3");
    assertThat(slowInterrupted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS))
        .as("node-1's slow was interrupted (rpc.cancel over the node link)")
        .isTrue();
  }

  @Test
  void theCallersCancelStopsTheRunningCommandOnItsNode() throws Exception {
    var call =
        caller(3)
            .call(
                "cluster.call",
                Params.named(graph(60_000, cmd("stuck", "slow", json("[]"), "gpu"))));
    Thread.sleep(300);

    call.cancel(true);

    assertThat(slowInterrupted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
  }

  @Test
  void aGracefullyLeavingNodesFunctionsAreGoneForTheOthersWithinASecond() {
    SwitchboardClient c = caller(1);
    assertThat(where(c, "model-b")).isEqualTo("node-3");

    node(3).close();

    // where is still served (by node-1 and node-2), but nowhere with model-b. The rule is 1 s; the
    // margin covers a loaded CI machine's scheduling, not the design.
    await()
        .atMost(Duration.ofMillis(1_500))
        .untilAsserted(
            () ->
                assertThat(failure(() -> where(c, "model-b")).code())
                    .isEqualTo(CommandError.NO_PROVIDER));
  }

  @Test
  void theJavaGraphBuilderAnswersEveryResultByName() {
    Map<String, JsonNode> results =
        caller(2)
            .cluster()
            .graph()
            .command("rows", "load", Params.none(), "dataset-1")
            .command("total", "add", Params.of("rows.0.n", "rows.1.n"), "model-b")
            .timeout(Duration.ofSeconds(5))
            .call()
            .join();

    assertThat(results).containsOnlyKeys("rows", "total");
    assertThat(results.get("total").asInt()).isEqualTo(3);
    assertThatThrownBy(() -> caller(2).cluster().graph().timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everyNodeListsWhatEachNodeServesWithItsResources() {
    JsonNode answer = caller(2).call("cluster.functions", Params.none()).join();

    assertThat(answer.get("node").asText()).isEqualTo("node-2");
    assertThat(answer.at("/nodes/0/node_id").asText()).isEqualTo("node-2");
    assertThat(answer.findValues("node_id").stream().map(JsonNode::asText))
        .containsExactly("node-2", "node-1", "node-3");
    assertThat(answer.at("/nodes/1/functions").toString())
        .contains(
            "{\"function\":\"slow\",\"resources\":[\"gpu\",\"model-a\"],\"idempotent\":false}");
  }

  @Test
  void aRemoteCommandGoesToTheLeastLoadedNodeThatMatches() {
    CountDownLatch release = new CountDownLatch(1);
    List<String> servedBy = new java.util.concurrent.CopyOnWriteArrayList<>();
    for (int n = 2; n <= 3; n++) {
      String name = "node-" + n;
      SwitchboardClient holder =
          provider(
              node(n),
              "holder-" + n,
              RpcMethods.builder()
                  .method(
                      "hold",
                      call -> {
                        servedBy.add(name);
                        release.await();
                        return name;
                      })
                  .build());
      clients.add(holder);
      holder.cluster().register(List.of("hold"), List.of("shared"), false).join();
    }
    SwitchboardClient c = caller(1);
    await()
        .atMost(WAIT)
        .until(
            () ->
                c.call("cluster.functions", Params.none())
                        .join()
                        .toString()
                        .split("\"hold\"")
                        .length
                    == 3);

    var first = c.cluster().call("hold", Params.none(), "shared");
    await().atMost(WAIT).until(() -> servedBy.size() == 1);
    var second = c.cluster().call("hold", Params.none(), "shared");
    await().atMost(WAIT).until(() -> servedBy.size() == 2);
    release.countDown();

    assertThat(servedBy).containsExactly("node-2", "node-3");
    assertThat(List.of(first.join().asText(), second.join().asText()))
        .containsExactly("node-2", "node-3");
  }

  @Test
  void nodeLinksAreNotCountedAsDevices() {
    caller(1);

    JsonNode stats = node(1).http.ok("/api/v1/stats");

    // node-1 holds the caller and two links from each other node (one per event loop): devices: 1.
    assertThat(stats.at("/connections/websocket").asInt()).isEqualTo(1);
    assertThat(stats.at("/connections/total").asInt()).isEqualTo(1);
  }
}
