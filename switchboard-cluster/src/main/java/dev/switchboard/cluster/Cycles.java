package dev.switchboard.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Finds a cycle in a graph given as each node's successors (here, a command's dependencies). */
final class Cycles {

  private static final int WHITE = 0;
  private static final int GREY = 1;
  private static final int BLACK = 2;

  private Cycles() {}

  /**
   * The first cycle found, searching from the nodes in order: its nodes in order with the first
   * repeated at the end ({@code [a, b, a]}); a node that is its own successor gives {@code [a, a]}.
   */
  static Optional<List<Integer>> find(List<List<Integer>> successors) {
    int[] colour = new int[successors.size()];
    List<Integer> stack = new ArrayList<>();
    for (int start = 0; start < successors.size(); start++) {
      if (colour[start] == WHITE) {
        Optional<List<Integer>> cycle = visit(start, successors, colour, stack);
        if (cycle.isPresent()) {
          return cycle;
        }
      }
    }
    return Optional.empty();
  }

  // Recursion depth is bounded by the number of nodes (CommandGraph.MAX_COMMANDS).
  private static Optional<List<Integer>> visit(
      int node, List<List<Integer>> successors, int[] colour, List<Integer> stack) {
    colour[node] = GREY;
    stack.add(node);
    for (int next : successors.get(node)) {
      if (colour[next] == GREY) {
        List<Integer> cycle = new ArrayList<>(stack.subList(stack.indexOf(next), stack.size()));
        cycle.add(next);
        return Optional.of(List.copyOf(cycle));
      }
      if (colour[next] == WHITE) {
        Optional<List<Integer>> cycle = visit(next, successors, colour, stack);
        if (cycle.isPresent()) {
          return cycle;
        }
      }
    }
    stack.remove(stack.size() - 1);
    colour[node] = BLACK;
    return Optional.empty();
  }
}
