package dev.switchboard.server;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
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
    throw new CommandLine.ParameterException(
        spec.commandLine(), "name a subcommand, for example: serve");
  }

  /**
   * {@code switchboard serve}: runs the server until interrupted (SIGINT/SIGTERM shut it down
   * gracefully).
   */
  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      description = {
        "Start the server.",
        "Settings come from the TOML file (--config), then SWITCHBOARD_* environment variables, then flags;",
        "every setting is listed with its default in docs/configuration.md."
      })
  static final class Serve implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "TOML configuration file.")
    Path configFile;

    @Option(
        names = "--mode",
        description = "development (default) or production (env SWITCHBOARD_MODE).")
    String mode;

    @Option(
        names = "--port",
        description = "Port to listen on (env SWITCHBOARD_PORT; default 8080).")
    String port;

    @Option(
        names = "--host",
        description = "Address to bind (env SWITCHBOARD_HOST; default 0.0.0.0).")
    String host;

    @Option(
        names = "--set",
        paramLabel = "KEY=VALUE",
        description =
            "Any setting by its TOML key, e.g. --set limits.max_connections=20000 (repeatable).")
    Map<String, String> settings = new LinkedHashMap<>();

    @Override
    public Integer call() throws InterruptedException {
      Map<String, String> flags = new LinkedHashMap<>(settings);
      if (mode != null) {
        flags.put("mode", mode);
      }
      if (port != null) {
        flags.put("port", port);
      }
      if (host != null) {
        flags.put("host", host);
      }
      ServerConfig config;
      try {
        config = ConfigLoader.load(Optional.ofNullable(configFile), System.getenv(), flags);
      } catch (ConfigLoader.ConfigException e) {
        e.problems().forEach(problem -> System.err.println("switchboard: " + problem));
        return 2;
      }
      ConsoleLogs.use(config.observability().logFormat(), LoggerFactory.getILoggerFactory());
      SwitchboardServer server;
      try {
        server = SwitchboardServer.start(config);
      } catch (IllegalStateException e) {
        System.err.println(
            "switchboard: " + e.getMessage() + " (choose another with --port or SWITCHBOARD_PORT)");
        return 1;
      } catch (IllegalArgumentException e) { // settings only the server's parts can check
        System.err.println("switchboard: " + e.getMessage());
        return 2;
      } catch (dev.switchboard.gateway.SharedStateException e) { // redis.url unreachable
        System.err.println(
            "switchboard: " + e.getMessage() + " (redis.url, SWITCHBOARD_REDIS_URL)");
        return 1;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    server.close();
                    stopped.countDown();
                  },
                  "switchboard-shutdown"));
      System.out.println(
          "Switchboard "
              + Version.current()
              + " listening on http://"
              + config.host()
              + ":"
              + server.port()
              + "  (devices: "
              + server.webSocketUri()
              + ", health: http://localhost:"
              + server.port()
              + "/health; "
              + config.mode()
              + " mode"
              + (config.development() ? ", demo methods registered" : "")
              + ")");
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
