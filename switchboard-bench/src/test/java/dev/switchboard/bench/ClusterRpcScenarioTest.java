package dev.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterRpcScenarioTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void directCallsThePlainEchoAndExpectsThePayloadBack() {
    assertThat(ClusterRpcScenario.DIRECT.method()).isEqualTo("echo");
    assertThat(ClusterRpcScenario.DIRECT.params("p").toString()).isEqualTo("[\"p\"]");
    assertThat(ClusterRpcScenario.DIRECT.expected("p").toString()).isEqualTo("\"p\"");
  }

  @Test
  void localAndRoutedDifferOnlyInTheResourceTheyAskFor() {
    assertThat(ClusterRpcScenario.LOCAL.params("p").toString())
        .isEqualTo(
            "{\"cmds\":[{\"name\":\"x\",\"method\":\"echo\",\"params\":[\"p\"],\"locs\":[\"r1\"]}],"
                + "\"timeout_ms\":10000}");
    assertThat(ClusterRpcScenario.ROUTED.params("p").toString())
        .isEqualTo(ClusterRpcScenario.LOCAL.params("p").toString().replace("r1", "r2"));
    // echo answers its params array
    assertThat(ClusterRpcScenario.ROUTED.expected("p").toString()).isEqualTo("{\"x\":[\"p\"]}");
  }

  @Test
  void eachLevelOfTheGraphNestsItsDependencysResultOneArrayDeeper() {
    assertThat(ClusterRpcScenario.GRAPH3.params("ignored").toString())
        .isEqualTo(
            "{\"cmds\":["
                + "{\"name\":\"a\",\"method\":\"echo\",\"params\":[1],\"locs\":[\"r1\"]},"
                + "{\"name\":\"b\",\"method\":\"echo\",\"params\":[\"a\"],\"locs\":[\"r2\"]},"
                + "{\"name\":\"c\",\"method\":\"echo\",\"params\":[\"b\"],\"locs\":[\"r3\"]}],"
                + "\"timeout_ms\":10000}");
    // As node 1 answered by hand: {"a":[1],"b":[[1]],"c":[[[1]]]}
    assertThat(ClusterRpcScenario.GRAPH3.expected("ignored").toString())
        .isEqualTo("{\"a\":[1],\"b\":[[1]],\"c\":[[[1]]]}");
  }

  @Test
  void theClientIsToldToFailAtTheFirstErrorAnswer() throws Exception {
    List<String> args = ClusterRpcScenario.GRAPH3.clientArgs("p");

    assertThat(args).containsSubsequence("--method", "cluster.call");
    assertThat(args).containsSubsequence("--on-error", "fail");
    String expect = args.get(args.indexOf("--expect") + 1);
    assertThat(JSON.readTree(expect)).isEqualTo(ClusterRpcScenario.GRAPH3.expected("p"));
  }

  @Test
  void thePayloadIsTheOneTheNodeClientMakes() {
    assertThat(ClusterRpcScenario.payload(64))
        .hasSize(64)
        .startsWith("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ab");
    assertThat(ClusterRpcScenario.payload(0)).isEmpty();
  }

  @Test
  void scenariosAreFoundByTheirKey() {
    assertThat(ClusterRpcScenario.fromKey(" graph3")).hasValue(ClusterRpcScenario.GRAPH3);
    assertThat(ClusterRpcScenario.fromKey("graph4")).isEmpty();
  }
}
