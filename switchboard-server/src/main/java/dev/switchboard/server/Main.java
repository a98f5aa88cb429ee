package dev.switchboard.server;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code switchboard} command line. */
@Command(
    name = "switchboard",
    mixinStandardHelpOptions = true,
    versionProvider = Main.VersionProvider.class,
    subcommands = {Main.Serve.class},
    description = "Real-time messaging for the JVM.")
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand, for example: serve");
  }

  /** {@code switchboard serve}: runs the server until interrupted. */
  @Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the server.")
  static final class Serve implements Callable<Integer> {

    @Option(
        names = "--port",
        defaultValue = "${env:SWITCHBOARD_PORT:-8080}",
        description = "Port to listen on (env SWITCHBOARD_PORT; default ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--host", defaultValue = "0.0.0.0", description = "Address to bind (default ${DEFAULT-VALUE}).")
    String host;

    @Override
    public Integer call() throws InterruptedException {
      SwitchboardServer server;
      try {
        server = SwitchboardServer.start(ServerConfig.builder().host(host).port(port).build());
      } catch (IllegalArgumentException | IllegalStateException e) {
        System.err.println("switchboard: " + e.getMessage() + " (choose another with --port or SWITCHBOARD_PORT)");
        return 1;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        server.close();
        stopped.countDown();
      }, "switchboard-shutdown"));
      System.out.println("Switchboard " + Version.current() + " listening on http://" + host + ":" + server.port()
          + "  (WebSocket JSON-RPC: " + server.webSocketUri() + ", health: http://localhost:" + server.port()
          + "/health; development mode: demo methods registered)");
      System.out.flush();
      stopped.await();
      return 0;
    }
  }

  /** Reports the build's version. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"switchboard " + Version.current()};
    }
  }
}
