package dev.switchboard.bench;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A server of the benchmark in its own JVM, so that client and server have separate heaps, JIT and
 * GC (the Node peer also runs two processes). Same java binary and class path as this JVM; the
 * child runs a hidden {@code BenchMain} subcommand that binds a free port, prints {@code
 * {"port":N}} as its first stdout line, and exits when its stdin reaches end-of-file, which is how
 * {@link #close()} stops it (and how it notices a parent that died). {@link #launch} starts any
 * other server that keeps the same contract, such as {@code node/rpcws-server.mjs}.
 */
final class ChildJvm implements AutoCloseable {

  private static final long START_TIMEOUT_SECONDS = 30;
  private static final long STOP_GRACE_MILLIS = 5_000;
  private static final Pattern PORT_LINE = Pattern.compile("\\{\"port\":(\\d+)}");

  private final String name;
  private final Process process;
  private final int port;

  private ChildJvm(String name, Process process, int port) {
    this.name = name;
    this.process = process;
    this.port = port;
  }

  /**
   * Starts {@code BenchMain <subcommand> --port 0} and waits until it reports its port.
   *
   * @param jvmArgs extra JVM flags for the child (for example a JFR recording)
   * @throws BenchmarkException when it does not report a port within 30 s
   */
  static ChildJvm start(String name, String subcommand, List<String> jvmArgs)
      throws IOException, InterruptedException {
    return start(name, List.of(subcommand), jvmArgs);
  }

  /**
   * Starts {@code BenchMain <subcommand...> --port 0}, where {@code subcommand} is the command's
   * name and any options of its own, and waits until it reports its port.
   *
   * @param jvmArgs extra JVM flags for the child (for example a JFR recording)
   * @throws BenchmarkException when it does not report a port within 30 s
   */
  static ChildJvm start(String name, List<String> subcommand, List<String> jvmArgs)
      throws IOException, InterruptedException {
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(jvmArgs);
    command.addAll(
        List.of("-cp", System.getProperty("java.class.path"), BenchMain.class.getName()));
    command.addAll(subcommand);
    command.addAll(List.of("--port", "0"));
    return launch(name, command);
  }

  /**
   * Starts {@code command}, a server that prints {@code {"port":N}} once it listens and exits at
   * end of stdin, and waits until it reports its port.
   *
   * @throws BenchmarkException when it does not report a port within 30 s
   */
  static ChildJvm launch(String name, List<String> command)
      throws IOException, InterruptedException {
    Process process =
        ChildProcesses.start(
            new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT));
    try {
      int port = awaitPort(name, process);
      return new ChildJvm(name, process, port);
    } catch (InterruptedException | RuntimeException e) {
      ChildProcesses.stop(process, STOP_GRACE_MILLIS);
      throw e;
    }
  }

  private static int awaitPort(String name, Process process) throws InterruptedException {
    CompletableFuture<Integer> port = new CompletableFuture<>();
    Thread.ofPlatform()
        .daemon()
        .name(name + "-stdout")
        .start(
            () -> {
              try (BufferedReader out = process.inputReader()) {
                // The port line, and anything else the child prints (the JVM may log to stdout
                // first, for example JFR),
                // which goes to our stderr so that the child's stdout pipe never fills up.
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                  Matcher m = PORT_LINE.matcher(line.strip());
                  if (!port.isDone() && m.matches()) {
                    port.complete(Integer.parseInt(m.group(1)));
                  } else {
                    System.err.println("[" + name + "] " + line);
                  }
                }
                port.completeExceptionally(new EOFException("end of output"));
              } catch (IOException | UncheckedIOException e) {
                port.completeExceptionally(e);
              }
            });
    try {
      return port.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new BenchmarkException(
          name + " did not report its port within " + START_TIMEOUT_SECONDS + " s", e);
    } catch (ExecutionException e) {
      process.waitFor(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
      String how =
          process.isAlive() ? "closed its stdout" : "exited with code " + process.exitValue();
      String why = e.getCause() instanceof EOFException ? "" : ": " + e.getCause();
      throw new BenchmarkException(
          name + " " + how + " before reporting its port (see its stderr above)" + why,
          e.getCause());
    }
  }

  int port() {
    return port;
  }

  /** The server's process, for its CPU time. */
  ProcessHandle process() {
    return process.toHandle();
  }

  /**
   * Closes the child's stdin (it shuts down), and kills it if it is still there after 5 s.
   * Idempotent.
   */
  @Override
  public void close() {
    try {
      process.getOutputStream().close();
      process.waitFor(STOP_GRACE_MILLIS, TimeUnit.MILLISECONDS);
    } catch (IOException e) {
      // The pipe is broken: the child is gone already or will be killed next.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      ChildProcesses.stop(process, STOP_GRACE_MILLIS);
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", port " + port + ")";
  }

  // ---- the child's side

  /**
   * Run by the child once its server listens: reports the port to the parent, then blocks until the
   * parent closes our stdin (or dies).
   */
  static void announceAndAwaitParent(int port) throws IOException {
    System.out.println("{\"port\":" + port + "}");
    System.out.flush();
    InputStream in = System.in;
    byte[] sink = new byte[256];
    while (in.read(sink) != -1) {
      // Nothing is sent on stdin; it only tells us that the parent is still there.
    }
  }
}
