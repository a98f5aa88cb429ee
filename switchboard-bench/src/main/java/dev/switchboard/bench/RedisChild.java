package dev.switchboard.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away {@code redis-server} for the cluster benchmark: a free loopback port, nothing
 * written to disk ({@code --save "" --appendonly no}), stopped on {@link #close()} (and by {@link
 * ChildProcesses}' shutdown hook if the benchmark dies first). Its counters are read with {@code
 * redis-cli INFO cpu commandstats} ({@link RedisCounters}).
 */
final class RedisChild implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  private static final long STOP_GRACE_MILLIS = 5_000;

  private final Process process;
  private final int port;

  private RedisChild(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Why Redis cannot run here, or empty when it can. */
  static Optional<String> unavailable() {
    try {
      Process p = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0
          ? Optional.empty()
          : Optional.of("redis-server --version exited with " + p.exitValue());
    } catch (IOException e) {
      return Optional.of("redis-server is not on the PATH (install Redis 7): " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    }
  }

  /**
   * Starts a server and waits until it answers {@code PING}.
   *
   * @throws BenchmarkException when it does not answer within 10 s
   */
  static RedisChild start() throws IOException, InterruptedException {
    int port = SwitchboardProcess.freePort();
    Process process =
        ChildProcesses.start(
            new ProcessBuilder(
                    "redis-server",
                    "--port",
                    Integer.toString(port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD));
    RedisChild redis = new RedisChild(process, port);
    try {
      long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
      while (!redis.cli("PING").strip().equals("PONG")) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new BenchmarkException(
              "redis-server on port " + port + " did not answer PING within 10 s");
        }
        Thread.sleep(50);
      }
      return redis;
    } catch (IOException | InterruptedException | RuntimeException e) {
      redis.close();
      throw e;
    }
  }

  /** What the nodes' {@code SWITCHBOARD_REDIS_URL} says. */
  String url() {
    return "redis://127.0.0.1:" + port;
  }

  /** The server's version, as {@code INFO server} says it. */
  String version() throws IOException, InterruptedException {
    for (String line : cli("INFO", "server").split("\r?\n")) {
      if (line.startsWith("redis_version:")) {
        return line.substring("redis_version:".length()).strip();
      }
    }
    return "?";
  }

  /** The server's CPU time and command counts so far ({@code INFO cpu commandstats}). */
  RedisCounters counters() throws IOException, InterruptedException {
    return RedisCounters.parse(cli("INFO", "cpu", "commandstats"));
  }

  private String cli(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
    command.addAll(List.of(args));
    Process cli = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!cli.waitFor(5, TimeUnit.SECONDS)) {
      cli.destroyForcibly();
    }
    return out;
  }

  @Override
  public void close() {
    ChildProcesses.stop(process, STOP_GRACE_MILLIS);
  }

  @Override
  public String toString() {
    return "redis-server (pid " + process.pid() + ", port " + port + ")";
  }
}
