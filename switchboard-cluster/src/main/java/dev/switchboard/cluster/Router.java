package dev.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;

/**
 * Where each command runs: on a provider of this node when one serves the command's function at
 * every tag of its {@code locs}, else on the least loaded other node that does (its calls in flight
 * as it last announced them, plus ours on its link). Remote commands go over the node link as
 * {@code cluster.invoke}, which runs them on a provider of that node without another hop.
 *
 * <p>A remote attempt that provably ran nothing (the link is down, the node's provider left) is
 * tried on the next node; one whose node went away mid-call is tried again only when its function
 * was registered idempotent there.
 */
final class Router {

  /** The method a node link calls on the node that runs a command. */
  static final String INVOKE = "cluster.invoke";

  private final LocalProviders providers;
  private final FunctionDirectory directory;
  private final NodeLinks links;
  private final LongSupplier nanos;

  Router(
      LocalProviders providers, FunctionDirectory directory, NodeLinks links, LongSupplier nanos) {
    this.providers = providers;
    this.directory = directory;
    this.links = links;
    this.nanos = nanos;
  }

  /**
   * Checks that every command of {@code graph} has somewhere to run.
   *
   * @throws RoutingException naming the first command that has not
   */
  void check(CommandGraph graph) {
    List<NodeFunctions> others = directory.others();
    for (Command c : graph.commands()) {
      if (providers.serves(c.method(), c.locs())
          || others.stream().anyMatch(n -> n.serves(c.method(), c.locs()))) {
        continue;
      }
      boolean known =
          providers.hasFunction(c.method())
              || others.stream().anyMatch(n -> n.hasFunction(c.method()));
      throw new RoutingException(unroutable(c.name(), c.method(), c.locs(), known));
    }
  }

  /** The error of a command nothing can run. */
  static CommandError unroutable(String name, String function, List<String> locs, boolean known) {
    ObjectNode data = Json.nodes().objectNode();
    data.put("command", name);
    data.put("function", function);
    data.set("locs", Json.toNode(locs));
    return known
        ? new CommandError(
            CommandError.NO_PROVIDER,
            "command \""
                + name
                + "\": no provider of function \""
                + function
                + "\" has all the resources "
                + locs,
            Optional.of(data))
        : new CommandError(
            CommandError.UNKNOWN_FUNCTION,
            "command \"" + name + "\": no provider serves function \"" + function + "\"",
            Optional.of(data));
  }

  /** A runner for one graph whose deadline is {@code deadlineNanos} ({@link System#nanoTime}). */
  CommandRunner runner(long deadlineNanos) {
    return (command, params) -> {
      Duration left = Duration.ofNanos(Math.max(1, deadlineNanos - nanos.getAsLong()));
      Optional<CommandRunner.Running> local =
          providers.start(command.method(), command.locs(), params, left);
      if (local.isPresent()) {
        return local.get();
      }
      return new Remote(command, params, deadlineNanos).start();
    };
  }

  /** One command sent to other nodes: the attempts until one answers or none is left. */
  private final class Remote {
    private final Command command;
    private final JsonNode params;
    private final long deadlineNanos;
    private final Set<String> tried = new HashSet<>();
    private final CompletableFuture<JsonNode> result = new CompletableFuture<>();
    private volatile CommandRunner.Running current;

    Remote(Command command, JsonNode params, long deadlineNanos) {
      this.command = command;
      this.params = params;
      this.deadlineNanos = deadlineNanos;
    }

    CommandRunner.Running start() {
      attempt(Optional.empty());
      return CommandRunner.Running.of(
          result,
          () -> {
            CommandRunner.Running running = current;
            if (running != null) {
              running.cancel();
            }
            result.completeExceptionally(
                new CommandException(CommandError.of(CommandError.CANCELLED, "cancelled")));
          });
    }

    /** Tries the best node not tried yet; {@code last} is why the previous attempt failed. */
    private void attempt(Optional<CommandError> last) {
      if (result.isDone()) {
        return;
      }
      Optional<NodeFunctions> next = best();
      if (next.isEmpty()) {
        result.completeExceptionally(
            new CommandException(
                last.orElseGet(
                    () -> unroutable(command.name(), command.method(), command.locs(), true))));
        return;
      }
      NodeFunctions node = next.get();
      tried.add(node.nodeId());
      boolean idempotent =
          node.offers().stream()
              .anyMatch(o -> o.idempotent() && o.serves(command.method(), command.locs()));
      Optional<NodeLinks.Link> link = links.link(node.nodeId());
      if (link.isEmpty()) {
        attempt(Optional.of(gone(node, "no link to it yet")));
        return;
      }
      link.get()
          .peer()
          .whenComplete(
              (peer, unreachable) -> {
                if (unreachable != null) {
                  attempt(Optional.of(gone(node, unreachable.getMessage())));
                  return;
                }
                long left = deadlineNanos - nanos.getAsLong();
                ObjectNode invoke = Json.nodes().objectNode();
                invoke.put("function", command.method());
                invoke.set("params", params);
                invoke.set("locs", Json.toNode(command.locs()));
                CommandRunner.Running running =
                    Invokers.call(peer, INVOKE, invoke, Duration.ofNanos(Math.max(1, left)));
                current = running;
                if (result.isDone()) {
                  running.cancel();
                  return;
                }
                running
                    .result()
                    .whenComplete(
                        (value, failure) -> {
                          if (failure == null) {
                            result.complete(value);
                            return;
                          }
                          CommandError error = Invokers.errorOf(failure);
                          boolean ranNothing = error.code() == CommandError.NO_PROVIDER;
                          boolean retry =
                              ranNothing
                                  || (idempotent && error.code() == CommandError.PROVIDER_GONE);
                          if (retry) {
                            attempt(Optional.of(error));
                          } else {
                            result.completeExceptionally(new CommandException(error));
                          }
                        });
              });
    }

    private CommandError gone(NodeFunctions node, String why) {
      return CommandError.of(
          CommandError.PROVIDER_GONE,
          "command \"" + command.name() + "\": node " + node.nodeId() + " is unreachable: " + why);
    }

    private Optional<NodeFunctions> best() {
      List<NodeFunctions> candidates = new ArrayList<>();
      for (NodeFunctions n : directory.others()) {
        if (!tried.contains(n.nodeId()) && n.serves(command.method(), command.locs())) {
          candidates.add(n);
        }
      }
      return candidates.stream().min(Comparator.comparingLong(this::load));
    }

    /** A node's load: its last announced calls in flight plus ours on its link; down links last. */
    private long load(NodeFunctions node) {
      Optional<NodeLinks.Link> link = links.link(node.nodeId());
      if (link.isEmpty() || !link.get().isUp()) {
        return Long.MAX_VALUE / 2 + node.load();
      }
      return node.load() + link.get().inFlight();
    }
  }
}
