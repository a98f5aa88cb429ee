package dev.switchboard.bench;

import dev.switchboard.client.SwitchboardClient;
import dev.switchboard.jsonrpc.Params;
import dev.switchboard.rpc.RpcConfig;
import java.net.URI;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code cluster-rpc}'s java-hop reference: the sequential round trip of the plain JSON-RPC {@code
 * echo} over our own {@link SwitchboardClient}, from the bench JVM to a node. Node links are that
 * client, so a routed call's added latency is compared with this round trip as well as with the
 * Node client's direct echo, which runs on another stack.
 */
sealed interface JavaHop permits JavaHop.Measured, JavaHop.Failed {

  /**
   * The measured round trips.
   *
   * @param latency exact nearest-rank percentiles of every call of the measured window
   * @param maxUs the slowest of them
   */
  record Measured(SequentialStats latency, double maxUs) implements JavaHop {
    public Measured {
      Objects.requireNonNull(latency, "latency");
    }
  }

  /** No numbers: the connection failed, an answer was wrong, or none came in time. */
  record Failed(String reason) implements JavaHop {
    public Failed {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Connects to {@code uri}, calls {@code echo(payload)} one call at a time for {@code
   * warmupSeconds} untimed then {@code seconds} timed, checks every answer, and closes.
   *
   * <p>The calling thread waits in {@code get}: with only a waiter on it, the client completes the
   * answer's future on its reader thread, as a node link's answers are completed.
   *
   * @param stallSeconds the longest wait for one answer
   */
  static JavaHop measure(
      URI uri, String payload, double warmupSeconds, double seconds, double stallSeconds)
      throws InterruptedException {
    // As the node links: stages on an answer run where it completes (here: the reader thread).
    RpcConfig link = RpcConfig.defaults().toBuilder().handlerExecutor(Runnable::run).build();
    SwitchboardClient client;
    try {
      client = SwitchboardClient.builder(uri).rpc(link).connect();
    } catch (RuntimeException e) {
      return new Failed("cannot connect to " + uri + ": " + e.getMessage());
    }
    try (client) {
      long stallNanos = (long) (stallSeconds * 1e9);
      long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
      while (System.nanoTime() < warmupEnd) {
        check(await(client.call("echo", Params.of(payload), String.class), stallNanos), payload);
      }
      long[] nanos = new long[1 << 16];
      int count = 0;
      long end = System.nanoTime() + (long) (seconds * 1e9);
      long now;
      do {
        long start = System.nanoTime();
        String answer = await(client.call("echo", Params.of(payload), String.class), stallNanos);
        now = System.nanoTime();
        check(answer, payload);
        if (count == nanos.length) {
          nanos = Arrays.copyOf(nanos, 2 * count);
        }
        nanos[count++] = now - start;
      } while (now < end);
      long[] samples = Arrays.copyOf(nanos, count);
      long max = Arrays.stream(samples).max().orElseThrow();
      return new Measured(SequentialStats.ofNanos(samples), max / 1000.0);
    } catch (ExecutionException e) {
      return new Failed("an echo failed: " + e.getCause());
    } catch (TimeoutException e) {
      return new Failed("no answer within " + RpcBenchSettings.plain(stallSeconds) + " s");
    } catch (IllegalStateException e) {
      return new Failed(e.getMessage());
    }
  }

  private static String await(CompletableFuture<String> answer, long stallNanos)
      throws InterruptedException, ExecutionException, TimeoutException {
    return answer.get(stallNanos, TimeUnit.NANOSECONDS);
  }

  private static void check(String answer, String payload) {
    if (!payload.equals(answer)) {
      throw new IllegalStateException("echo answered '" + answer + "', expected '" + payload + "'");
    }
  }
}
