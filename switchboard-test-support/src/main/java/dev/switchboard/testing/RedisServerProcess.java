package dev.switchboard.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} for tests: started on a free loopback port with no persistence, in a
 * temporary directory of its own; ready (it answers {@code PING}) when {@link #start()} returns.
 * Tests reach it at {@link #uri()}, and may {@link #stop()}, {@link #kill()} and {@link #start()}
 * it again on the same port to simulate outages, {@link #pause(Duration)} it to simulate a hung
 * server, and send it any command with {@link #call(String...)} over a raw RESP socket (no client
 * library needed).
 *
 * <p>The binary is {@code redis-server} on the {@code PATH}, or the path in the environment
 * variable {@code REDIS_SERVER}. {@link #close()} stops the server and deletes its directory; a JVM
 * shutdown hook kills a server a test forgot to close. Not thread-safe: one test class drives it.
 */
public final class RedisServerProcess implements AutoCloseable {

  private static final String HOST = "127.0.0.1";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final int SOCKET_TIMEOUT_MILLIS = 5_000;

  private final Path executable;
  private final Path directory;
  private final int port;
  private final boolean durable;
  private final Thread shutdownHook;

  /** The running server; empty while stopped. Volatile for the shutdown hook's thread. */
  private volatile Optional<Process> process = Optional.empty();

  private RedisServerProcess(Path executable, Path directory, int port, boolean durable) {
    this.durable = durable;
    this.executable = executable;
    this.directory = directory;
    this.port = port;
    this.shutdownHook =
        new Thread(() -> process.ifPresent(Process::destroyForcibly), "redis-server-reaper");
  }

  /**
   * Starts a server on a free loopback port and waits until it answers {@code PING}.
   *
   * @throws IllegalStateException if {@code redis-server} is not installed, or does not come up
   *     within 10 s (the message carries its log)
   */
  public static RedisServerProcess start() {
    return start(false);
  }

  /**
   * Like {@link #start()}, but the server writes every command to its append-only file before
   * answering ({@code appendfsync always}), so {@link #stop()} and {@link #restart()} keep the data
   * (a {@link #kill()} too): a Redis that was away, not one that lost its memory.
   */
  public static RedisServerProcess startDurable() {
    return start(true);
  }

  private static RedisServerProcess start(boolean durable) {
    Path executable = findExecutable();
    Path directory;
    try {
      directory = Files.createTempDirectory("redis-server-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for redis-server", e);
    }
    // A free port can be taken by someone else before redis binds it: try a few.
    IllegalStateException failure = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      RedisServerProcess server =
          new RedisServerProcess(executable, directory, freePort(), durable);
      try {
        server.launch();
        Runtime.getRuntime().addShutdownHook(server.shutdownHook);
        return server;
      } catch (IllegalStateException e) {
        server.kill();
        failure = e;
      }
    }
    deleteRecursively(directory);
    throw Objects.requireNonNull(failure);
  }

  /**
   * The loopback port the server listens on; the same across {@link #stop()} and {@link
   * #restart()}.
   */
  public int port() {
    return port;
  }

  /** {@code 127.0.0.1}. */
  public String host() {
    return HOST;
  }

  /** {@code redis://127.0.0.1:<port>}, for a client's connect string. */
  public String uri() {
    return "redis://" + HOST + ":" + port;
  }

  /** True while the server process is alive. */
  public boolean isRunning() {
    return process.map(Process::isAlive).orElse(false);
  }

  /**
   * Stops the server gracefully ({@code SIGTERM}, no save) and waits for it to exit; no-op when
   * stopped.
   */
  public void stop() {
    process.ifPresent(
        p -> {
          p.destroy();
          awaitExit(p);
        });
    process = Optional.empty();
  }

  /**
   * Kills the server ({@code SIGKILL}) like a crash, and waits for it to exit; no-op when stopped.
   */
  public void kill() {
    process.ifPresent(
        p -> {
          p.destroyForcibly();
          awaitExit(p);
        });
    process = Optional.empty();
  }

  /**
   * Starts the server again on the same port, empty (nothing is persisted), and waits until it
   * answers {@code PING}. Stops it first if it is running.
   */
  public void restart() {
    stop();
    launch();
  }

  /**
   * Makes the server hold every client's commands for {@code duration} ({@code CLIENT PAUSE}), as a
   * hung or overloaded server would; connections stay open. Returns at once.
   */
  public void pause(Duration duration) {
    call("CLIENT", "PAUSE", Long.toString(duration.toMillis()), "ALL");
  }

  /** Deletes every key ({@code FLUSHALL}). */
  public void flushAll() {
    call("FLUSHALL");
  }

  /**
   * Sends one command on a fresh connection and returns the reply: a {@code String} (simple or bulk
   * string), a {@code Long} (integer), a {@code List<Object>} (array) or {@link Optional#empty()}
   * for a nil reply.
   *
   * @throws IllegalStateException for an error reply (with the server's message) or when the server
   *     is not reachable
   */
  public Object call(String... command) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(HOST, port), SOCKET_TIMEOUT_MILLIS);
      socket.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      out.write(encode(command));
      out.flush();
      return readReply(new BufferedInputStream(socket.getInputStream()));
    } catch (IOException e) {
      throw new IllegalStateException(
          "redis-server on port " + port + " did not answer " + command[0], e);
    }
  }

  /** Stops the server and deletes its directory. Idempotent. */
  @Override
  public void close() {
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException | IllegalArgumentException e) {
      // The JVM is already shutting down, or the hook was removed by an earlier close.
    }
    deleteRecursively(directory);
  }

  @Override
  public String toString() {
    return "RedisServerProcess[" + uri() + (isRunning() ? ", running]" : ", stopped]");
  }

  private void launch() {
    Path log = directory.resolve("redis-" + port + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(
                executable.toString(),
                "--port",
                Integer.toString(port),
                "--bind",
                HOST,
                "--save",
                "",
                "--appendonly",
                durable ? "yes" : "no",
                "--appendfsync",
                durable ? "always" : "everysec",
                "--dir",
                directory.toString(),
                "--daemonize",
                "no")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process started;
    try {
      started = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + executable, e);
    }
    process = Optional.of(started);
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!started.isAlive()) {
        throw new IllegalStateException(
            "redis-server exited with "
                + started.exitValue()
                + " on port "
                + port
                + "; its log:\n"
                + readLog(log));
      }
      if (answersPing()) {
        return;
      }
      sleepMillis(10);
    }
    throw new IllegalStateException(
        "redis-server did not answer PING on port "
            + port
            + " within "
            + READY_TIMEOUT
            + "; its log:\n"
            + readLog(log));
  }

  private boolean answersPing() {
    try {
      return "PONG".equals(call("PING"));
    } catch (IllegalStateException e) {
      return false;
    }
  }

  private static Path findExecutable() {
    String configured = System.getenv("REDIS_SERVER");
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured);
      if (Files.isExecutable(path)) {
        return path;
      }
      throw new IllegalStateException("REDIS_SERVER=" + configured + " is not an executable file");
    }
    String pathVariable = Objects.requireNonNullElse(System.getenv("PATH"), "");
    for (String dir : pathVariable.split(File.pathSeparator)) {
      if (!dir.isEmpty()) {
        Path candidate = Path.of(dir, "redis-server");
        if (Files.isExecutable(candidate)) {
          return candidate;
        }
      }
    }
    throw new IllegalStateException(
        "redis-server is not on the PATH; install it (Debian/Ubuntu: "
            + "`apt-get install redis-server`, macOS: `brew install redis`; `./switchboard test` installs it when run "
            + "as root) or set REDIS_SERVER to its path");
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port", e);
    }
  }

  private static void awaitExit(Process p) {
    try {
      if (!p.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
  }

  /** A command as a RESP array of bulk strings. */
  private static byte[] encode(String... command) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(("*" + command.length + "\r\n").getBytes(StandardCharsets.UTF_8));
    for (String arg : command) {
      byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
      out.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.writeBytes(bytes);
      out.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  private static Object readReply(InputStream in) throws IOException {
    int type = in.read();
    String line = readLine(in);
    return switch (type) {
      case '+' -> line;
      case ':' -> Long.parseLong(line);
      case '-' -> throw new IllegalStateException("redis-server replied with an error: " + line);
      case '$' -> {
        int length = Integer.parseInt(line);
        if (length < 0) {
          yield Optional.empty();
        }
        byte[] bytes = in.readNBytes(length);
        readLine(in);
        yield new String(bytes, StandardCharsets.UTF_8);
      }
      case '*' -> {
        int count = Integer.parseInt(line);
        if (count < 0) {
          yield Optional.empty();
        }
        List<Object> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
          items.add(readReply(in));
        }
        yield items;
      }
      case -1 -> throw new IOException("connection closed before a reply");
      default -> throw new IOException("unexpected RESP type '" + (char) type + "'");
    };
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\r'; b = in.read()) {
      if (b < 0) {
        throw new IOException("connection closed in the middle of a reply");
      }
      line.write(b);
    }
    in.read(); // '\n'
    return line.toString(StandardCharsets.UTF_8);
  }

  private static String readLog(Path log) {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private static void sleepMillis(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting for redis-server", e);
    }
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // Best effort: a leftover temp directory is harmless.
    }
  }
}
