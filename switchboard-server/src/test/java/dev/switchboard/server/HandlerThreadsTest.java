package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.jsonrpc.Params;
import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.rpc.RpcMethods;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The server's I/O thread is a Vert.x event loop: a method that declares itself non-blocking runs
 * there. (Where handlers run, and that a blocking one never holds up the others, is the RPC peer's
 * own spec: ThreadsSpec in switchboard-rpc.)
 */
class HandlerThreadsTest {

  private TestServer server;

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aNonBlockingMethodRunsOnTheEventLoop() throws Exception {
    server =
        TestServer.start(
            RpcMethods.builder()
                .nonBlockingMethod("where", call -> Thread.currentThread().getName())
                .build(),
            RpcConfig.defaults());
    try (var client = server.client()) {
      assertThat(client.call("where", Params.none(), String.class).get(5, TimeUnit.SECONDS))
          .startsWith("vert.x-eventloop-thread-");
    }
  }
}
