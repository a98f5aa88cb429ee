package dev.switchboard.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.jsonrpc.Params;
import dev.switchboard.rpc.RpcMethods;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Java client example of the README, as written there, against a development server. */
class ReadmeExampleTest {

  @Test
  void theReadmeClientExampleWorks() throws Exception {
    try (TestServer server = TestServer.start()) {
      RpcMethods mine =
          RpcMethods.builder()
              .method(
                  "greet",
                  call -> "hello " + call.param(0, String.class)) // the server may call this
              .build();
      try (SwitchboardClient client =
          SwitchboardClient.builder(server.server.webSocketUri())
              .header("Authorization", "Bearer my-token")
              .methods(mine)
              .connect()) {
        int sum = client.call("sum", Params.of(1, 2, 4), Integer.class).join();
        long diff =
            client
                .call("subtract", Params.named(Map.of("minuend", 42, "subtrahend", 23)), Long.class)
                .get(5, TimeUnit.SECONDS);
        String back =
            client.call("callback", Params.of("greet", List.of("Ada")), String.class).join();
        boolean sent = client.notify("update", Params.of(1, 2, 3));

        assertThat(sum).isEqualTo(7);
        assertThat(diff).isEqualTo(19);
        assertThat(back).isEqualTo("hello Ada");
        assertThat(sent).isTrue();
      }
    }
  }
}
