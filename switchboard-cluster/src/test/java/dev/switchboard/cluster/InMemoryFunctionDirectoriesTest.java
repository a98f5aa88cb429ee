package dev.switchboard.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The directory contract in one JVM, and what only the hub does: it sees changes at once. */
class InMemoryFunctionDirectoriesTest extends FunctionDirectoryContract {

  private final InMemoryFunctionDirectories hub = new InMemoryFunctionDirectories();
  private final List<FunctionDirectory> joined = new ArrayList<>();

  @Override
  protected FunctionDirectory join(String nodeId, String address, LongSupplier load) {
    FunctionDirectory directory = hub.join(nodeId, address, load);
    joined.add(directory);
    return directory;
  }

  @AfterEach
  void closeAll() {
    joined.forEach(FunctionDirectory::close);
  }

  @Test
  void changesAreSeenAtOnce() {
    AtomicLong load = new AtomicLong(1);
    FunctionDirectory a = join("node-a", "ws://a", () -> 0);
    FunctionDirectory b = join("node-b", "ws://b", load::get);
    Offer offer = new Offer("f", java.util.Set.of("r"), true);

    b.announce(List.of(offer));
    load.set(9);

    assertThat(a.others())
        .containsExactly(new NodeFunctions("node-b", "ws://b", List.of(offer), 9));
    b.close();
    assertThat(a.others()).isEmpty();
  }

  @Test
  void aNodeIdJoinsOnceAtATimeAndMayJoinAgainAfterLeaving() {
    FunctionDirectory first = join("node-a", "ws://a", () -> 0);

    assertThatThrownBy(() -> join("node-a", "ws://a2", () -> 0))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("node-a");
    first.close();
    FunctionDirectory again = join("node-a", "ws://a2", () -> 0);
    FunctionDirectory viewer = join("node-b", "ws://b", () -> 0);
    again.announce(List.of());

    assertThat(viewer.others()).extracting(NodeFunctions::address).containsExactly("ws://a2");
  }
}
