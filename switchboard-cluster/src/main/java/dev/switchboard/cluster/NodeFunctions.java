package dev.switchboard.cluster;

import java.util.List;
import java.util.Objects;

/**
 * What one node of the cluster serves, as the others see it.
 *
 * @param nodeId the node's id
 * @param address where its node link connects: a {@code ws://} or {@code wss://} URI
 * @param offers the functions its providers serve, in-process and connected clients alike
 * @param load the calls its providers were running at its last announcement
 */
public record NodeFunctions(String nodeId, String address, List<Offer> offers, long load) {

  public NodeFunctions {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(address, "address");
    offers = List.copyOf(offers);
  }

  /** Whether some provider of this node serves {@code function} at every tag of {@code locs}. */
  public boolean serves(String function, java.util.Collection<String> locs) {
    return offers.stream().anyMatch(o -> o.serves(function, locs));
  }

  /** Whether some provider of this node serves {@code function}, whatever its resources. */
  public boolean hasFunction(String function) {
    return offers.stream().anyMatch(o -> o.function().equals(function));
  }
}
