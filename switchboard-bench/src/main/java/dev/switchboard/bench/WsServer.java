package dev.switchboard.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;

/**
 * A server of the independent-client half of {@code BenchMain rpc}, in its own process, with what
 * the client needs to drive it: where to connect and what answers a call. Each is the same server
 * the Java-client half measures: {@code serve-rpc} (Switchboard, development mode, default RPC
 * settings: no message rate, no upgrade limit), {@code echo-server} (the raw Vert.x echo, or with
 * {@code --netty} the raw Netty one), and {@code node/rpcws-server.mjs} (rpc-websockets' {@code
 * Server}, whose {@code echo} returns {@code params[0]}).
 */
final class WsServer implements AutoCloseable {

  /**
   * What answers a call: a JSON-RPC response carrying the payload, or the request itself, echoed.
   */
  enum Reply {
    RESULT("result"),
    REQUEST("request");

    private final String key;

    Reply(String key) {
      this.key = key;
    }

    /** The value of {@code ws-rpc-client.mjs --reply}. */
    String key() {
      return key;
    }
  }

  private final ChildJvm process;
  private final URI uri;
  private final Reply reply;

  private WsServer(ChildJvm process, String path, Reply reply) {
    this.process = process;
    this.uri = URI.create("ws://" + SwitchboardTarget.HOST + ":" + process.port() + path);
    this.reply = reply;
  }

  /**
   * Starts {@code system}'s server and waits until it listens.
   *
   * @param serverJvmArgs extra flags for the Java servers' JVMs
   * @param nodeDir the folder of {@code rpcws-server.mjs}
   */
  static WsServer start(SystemId system, List<String> serverJvmArgs, Path nodeDir)
      throws IOException, InterruptedException {
    return switch (system) {
      case SWITCHBOARD ->
          new WsServer(
              ChildJvm.start("switchboard-server", "serve-rpc", serverJvmArgs),
              "/ws",
              Reply.RESULT);
      case RAW, NETTY, NETTY_FLUSH_EACH ->
          new WsServer(
              ChildJvm.start(
                  system.key() + "-echo-server", EchoServerCommand.command(system), serverJvmArgs),
              "/",
              Reply.REQUEST);
      // rpc-websockets registers methods in the namespace "/", which is the connection's path.
      case RPC_WEBSOCKETS ->
          new WsServer(
              ChildJvm.launch(
                  "rpcws-server",
                  List.of(
                      "node",
                      nodeDir.resolve("rpcws-server.mjs").toString(),
                      "--host",
                      SwitchboardTarget.HOST,
                      "--port",
                      "0")),
              "/",
              Reply.RESULT);
    };
  }

  URI uri() {
    return uri;
  }

  Reply reply() {
    return reply;
  }

  /** The server's process, whose CPU time is measured. */
  ProcessHandle process() {
    return process.process();
  }

  @Override
  public void close() {
    process.close();
  }

  @Override
  public String toString() {
    return process.toString();
  }
}
