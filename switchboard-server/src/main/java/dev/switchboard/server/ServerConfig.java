package dev.switchboard.server;

import dev.switchboard.rpc.RpcConfig;
import dev.switchboard.rpc.RpcMethods;
import java.util.Objects;

/**
 * How the server listens and what it answers. Immutable; build with {@link #builder()}.
 *
 * <p>Defaults: host {@code 0.0.0.0}, port 8080, development mode on (the demo methods of {@link DemoService} are
 * registered beside the user's), {@link RpcConfig#defaults()} for every connection, 4 MiB of unread outbound data
 * per connection.
 */
public final class ServerConfig {

  private final String host;
  private final int port;
  private final boolean development;
  private final RpcMethods methods;
  private final RpcConfig rpc;
  private final int maxQueuedBytes;

  private ServerConfig(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.development = b.development;
    this.methods = b.methods;
    this.rpc = b.rpc;
    this.maxQueuedBytes = b.maxQueuedBytes;
  }

  public static Builder builder() {
    return new Builder();
  }

  public String host() {
    return host;
  }

  /** The port; 0 picks a free one (see {@link SwitchboardServer#port()}). */
  public int port() {
    return port;
  }

  public boolean development() {
    return development;
  }

  public RpcMethods methods() {
    return methods;
  }

  public RpcConfig rpc() {
    return rpc;
  }

  /**
   * Outbound bytes a connection may have queued and unread by its peer; past that the peer is a slow consumer and
   * the connection is closed with 1008, failing what is pending on it, instead of buffering without bound.
   * Default 4 MiB.
   */
  public int maxQueuedBytes() {
    return maxQueuedBytes;
  }

  /** Builds a {@link ServerConfig}. */
  public static final class Builder {
    private String host = "0.0.0.0";
    private int port = 8080;
    private boolean development = true;
    private RpcMethods methods = RpcMethods.empty();
    private RpcConfig rpc = RpcConfig.defaults();
    private int maxQueuedBytes = 4 << 20;

    private Builder() {}

    public Builder host(String value) {
      host = Objects.requireNonNull(value, "host");
      return this;
    }

    public Builder port(int value) {
      if (value < 0 || value > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, got " + value);
      }
      port = value;
      return this;
    }

    public Builder development(boolean value) {
      development = value;
      return this;
    }

    public Builder methods(RpcMethods value) {
      methods = Objects.requireNonNull(value, "methods");
      return this;
    }

    public Builder rpc(RpcConfig value) {
      rpc = Objects.requireNonNull(value, "rpc");
      return this;
    }

    public Builder maxQueuedBytes(int value) {
      if (value <= 0) {
        throw new IllegalArgumentException("maxQueuedBytes must be positive, got " + value);
      }
      maxQueuedBytes = value;
      return this;
    }

    public ServerConfig build() {
      return new ServerConfig(this);
    }
  }
}
