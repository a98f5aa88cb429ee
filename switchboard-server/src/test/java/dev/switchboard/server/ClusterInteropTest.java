package dev.switchboard.server;

import static dev.switchboard.server.PushFixture.WAIT;
import static org.awaitility.Awaitility.await;

import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.jsonrpc.Params;
import dev.switchboard.testing.RedisServerProcess;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Clustered RPC with an independent client: interop/node/cluster-provider-check.mjs, a provider and
 * callers written with Node's plain {@code ws}, against two production nodes on one real {@code
 * redis-server}. Each node provides {@code where} (its id) in-process, node-1 with the resources
 * {@code java-1}, node-2 with {@code java-2}.
 */
class ClusterInteropTest {

  @Test
  void aNodeJsProviderServesCallsRoutedFromTheOtherNodeAndFollowsTheProtocol() throws Exception {
    try (RedisServerProcess redis = RedisServerProcess.start();
        PushFixture node1 = PushFixture.start(node(redis, "node-1", "java-1"));
        PushFixture node2 = PushFixture.start(node(redis, "node-2", "java-2"))) {
      // Each node sees the other's functions before the script routes.
      for (PushFixture n : List.of(node1, node2)) {
        try (SwitchboardClient c = ClusterRpcFixture.caller(n, "warm-up")) {
          for (String locs : List.of("java-1", "java-2")) {
            await()
                .atMost(WAIT)
                .ignoreExceptions()
                .until(() -> c.cluster().call("where", Params.none(), locs).join() != null);
          }
        }
      }

      InteropScriptsTest.runScript(
          "cluster-provider-check.mjs",
          30,
          "http://127.0.0.1:" + node1.server.port(),
          "http://127.0.0.1:" + node2.server.port());
    }
  }

  private static ServerConfig.Builder node(RedisServerProcess redis, String id, String resource) {
    return PushFixture.production()
        .cluster(ClusterSettings.redis(redis.uri()).withNodeId(id).withResources(List.of(resource)))
        .clusterFunction("where", p -> id, true);
  }
}
