package dev.switchboard.server;

import static dev.switchboard.server.ClusterRpcFixture.cmd;
import static dev.switchboard.server.ClusterRpcFixture.graph;
import static dev.switchboard.server.ClusterRpcFixture.json;
import static dev.switchboard.server.PushFixture.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.cluster.CommandError;
import dev.switchboard.jsonrpc.Params;
import dev.switchboard.rpc.RpcException;
import dev.switchboard.rpc.RpcMethods;
import dev.switchboard.testing.RedisServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A node killed with {@code kill -9} in the middle of a graph: the command it was running fails at
 * once (its dependents skipped, the rest answered), long before the graph's deadline; when its
 * function was registered idempotent, the command runs again on another node instead.
 *
 * <p>The graph is sent through node {@code caller}; {@code work} is provided by a client of node
 * {@code crashing} (a child JVM, killed) and, in the idempotent case, by a client of node {@code
 * survivor}. Both nodes are idle, so the router picks the first by id: {@code crashing}.
 */
class ClusteredRpcCrashTest {

  private final List<AutoCloseable> opened = new ArrayList<>();
  private final CountDownLatch working = new CountDownLatch(1);
  private RedisServerProcess redis;
  private NodeProcess crashing;
  private PushFixture caller;

  @BeforeEach
  void startCluster() throws Exception {
    redis = RedisServerProcess.start();
    opened.add(redis);
    crashing =
        NodeProcess.start(
            Map.of(
                "SWITCHBOARD_REDIS_URL", redis.uri(), "SWITCHBOARD_CLUSTER_NODE_ID", "crashing"));
    opened.add(crashing);
    caller = node("caller");
  }

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : opened.reversed()) {
      c.close();
    }
  }

  private PushFixture node(String id) {
    PushFixture node =
        PushFixture.start(
            PushFixture.production()
                .cluster(ClusterSettings.redis(redis.uri()).withNodeId(id))
                .clusterFunction("where", p -> id, true));
    opened.add(node);
    return node;
  }

  /** A provider of {@code work} on {@code uri}; it answers {@code answer}, or never when empty. */
  private SwitchboardClient worker(java.net.URI uri, String answer, boolean idempotent) {
    SwitchboardClient worker =
        SwitchboardClient.builder(uri)
            .methods(
                RpcMethods.builder()
                    .method(
                        "work",
                        call -> {
                          if (answer.isEmpty()) {
                            working.countDown();
                            Thread.sleep(Duration.ofMinutes(1));
                          }
                          return answer;
                        })
                    .build())
            .connect();
    opened.add(worker);
    worker.cluster().register(List.of("work"), List.of("r"), idempotent).join();
    return worker;
  }

  private CompletableFuture<JsonNode> sendGraph() {
    SwitchboardClient client =
        ClusterRpcFixture.callerOf(caller.ws("token=" + PushTokens.valid("c")));
    opened.add(client);
    await()
        .atMost(WAIT)
        .ignoreExceptions()
        .until(
            () ->
                client
                        .call(
                            "cluster.call",
                            Params.named(graph(5_000, cmd("probe", "where", json("[]")))))
                        .join()
                    != null);
    return client.call(
        "cluster.call",
        Params.named(
            graph(
                30_000,
                cmd("job", "work", json("[]"), "r"),
                cmd("after", "where", json("['job']")),
                cmd("apart", "where", json("[]")))));
  }

  private static String token() {
    return "token=" + ClusterRpcFixture.token("worker", "provider");
  }

  @Test
  void aCommandOnANodeKilledMidGraphFailsAtOnceAndTheRestIsAnswered() throws Exception {
    worker(crashing.ws(token()), "", false);
    awaitServed("work");
    CompletableFuture<JsonNode> graph = sendGraph();
    assertThat(working.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

    long killed = System.nanoTime();
    crashing.crash();

    RpcException e = failure(graph);
    assertThat(Duration.ofNanos(System.nanoTime() - killed))
        .as("failed at once, not at the graph's 30 s deadline")
        .isLessThan(WAIT);
    assertThat(e.code()).isEqualTo(CommandError.DEPENDENCY_FAILED);
    JsonNode data = e.error().data().orElseThrow();
    assertThat(data.at("/failed/job/code").asInt()).isEqualTo(CommandError.PROVIDER_GONE);
    assertThat(data.at("/failed/job/message").asText()).contains("went away");
    assertThat(data.at("/skipped").toString()).isEqualTo("[\"after\"]");
    assertThat(data.at("/results/apart").asText()).isEqualTo("caller");
  }

  @Test
  void anIdempotentCommandOnANodeKilledMidGraphRunsAgainOnAnotherNode() throws Exception {
    PushFixture survivor = node("survivor");
    worker(crashing.ws(token()), "", true);
    worker(survivor.ws(token()), "from-survivor", true);
    awaitServed("work");
    CompletableFuture<JsonNode> graph = sendGraph();
    assertThat(working.await(WAIT.toMillis(), TimeUnit.MILLISECONDS))
        .as("the idle crashing node (first by id) got the command")
        .isTrue();

    crashing.crash();

    JsonNode answer = graph.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(answer.get("job").asText()).isEqualTo("from-survivor");
    assertThat(answer.get("after").asText()).isEqualTo("caller");
  }

  /**
   * Waits until node caller routes {@code function} (the directory has its providers), without
   * running it: the probe's command refers to a path its dependency's result lacks, so it fails
   * before it starts; an unroutable graph is refused instead.
   */
  private void awaitServed(String function) {
    try (SwitchboardClient probe =
        ClusterRpcFixture.callerOf(caller.ws("token=" + PushTokens.valid("probe")))) {
      await()
          .atMost(WAIT)
          .until(
              () -> {
                try {
                  probe
                      .call(
                          "cluster.call",
                          Params.named(
                              graph(
                                  5_000,
                                  cmd("p", "where", json("[]")),
                                  cmd("x", function, json("['p.nope']"), "r"))))
                      .join();
                  throw new AssertionError("the probe ran");
                } catch (CompletionException e) {
                  return e.getCause() instanceof RpcException r
                      && r.code() == CommandError.DEPENDENCY_FAILED;
                }
              });
    }
  }

  private static RpcException failure(CompletableFuture<JsonNode> call) throws Exception {
    try {
      call.get(WAIT.toMillis() * 2, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RpcException rpc) {
        return rpc;
      }
      throw e;
    }
    throw new AssertionError("the graph did not fail");
  }
}
