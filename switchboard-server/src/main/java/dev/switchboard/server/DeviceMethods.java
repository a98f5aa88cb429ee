package dev.switchboard.server;

import dev.switchboard.auth.AuthException;
import dev.switchboard.auth.Identity;
import dev.switchboard.gateway.Device;
import dev.switchboard.gateway.LimitExceededException;
import dev.switchboard.gateway.Registry;
import dev.switchboard.jsonrpc.ErrorObject;
import dev.switchboard.rpc.RpcCall;
import dev.switchboard.rpc.RpcException;
import dev.switchboard.rpc.RpcMethod;
import dev.switchboard.rpc.RpcPeer;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The methods every device may call. A bad channel name is an Invalid params error (-32602) naming
 * it; passing the subscription limit is -32006. Either way nothing changes. A refused {@code
 * refresh} is {@link #TOKEN_REFUSED} or {@link #WRONG_IDENTITY}, and the connection keeps its
 * expiry.
 */
public final class DeviceMethods {

  /** {@code refresh}: the token does not verify, or no JWT key is configured to verify it with. */
  static final int TOKEN_REFUSED = -32009;

  /**
   * {@code refresh}: the token verifies but names another user ({@code sub}) or tenant ({@code
   * tenant_id}).
   */
  static final int WRONG_IDENTITY = -32010;

  private static final Logger log = LoggerFactory.getLogger(DeviceMethods.class);

  private final Registry registry;
  private final Function<RpcPeer, Device> devices;
  private final DeviceAuth auth;

  /** The expiry of a connection's token; empty once the connection is gone. */
  private final Function<RpcPeer, Optional<TokenExpiry>> expiries;

  DeviceMethods(
      Registry registry,
      Function<RpcPeer, Device> devices,
      DeviceAuth auth,
      Function<RpcPeer, Optional<TokenExpiry>> expiries) {
    this.registry = registry;
    this.devices = devices;
    this.auth = auth;
    this.expiries = expiries;
  }

  @RpcMethod(
      description =
          "Subscribes this connection to channels (1-64 of letters, digits, '-', '_', '.'); "
              + "all or none. Answers {subscribed: [channels]}.",
      nonBlocking = true)
  public Map<String, List<String>> subscribe(List<String> channels, RpcCall call) {
    return Map.of("subscribed", change(call, channels, registry::subscribe));
  }

  @RpcMethod(
      description =
          "Unsubscribes this connection from channels. Answers {unsubscribed: [channels]}.",
      nonBlocking = true)
  public Map<String, List<String>> unsubscribe(List<String> channels, RpcCall call) {
    return Map.of("unsubscribed", change(call, channels, registry::unsubscribe));
  }

  @RpcMethod(description = "Answers \"pong\".", nonBlocking = true)
  public String ping() {
    return "pong";
  }

  /**
   * Replaces the connection's token before it expires (the connection is closed with 4001 at {@code
   * exp} plus {@code jwt.leeway_seconds}). The token is verified as at the upgrade and must name
   * the connection's user and tenant; its {@code exp} then sets when the connection closes (none:
   * it no longer expires). Blocks while the verifier fetches keys.
   */
  @RpcMethod(
      description =
          "Replaces this connection's token before it expires: a JWT of the same user (sub) and "
              + "tenant (tenant_id). Answers {expires_at: its exp, or null when it has none}; -32009 when the token does not "
              + "verify, -32010 when it is another user's or tenant's (the connection keeps its expiry either way).")
  public Map<String, String> refresh(String token, RpcCall call) {
    if (token == null) {
      throw new RpcException(ErrorObject.INVALID_PARAMS, "missing param 'token'");
    }
    if (!auth.verifiesTokens()) {
      throw new RpcException(
          TOKEN_REFUSED,
          "no JWT key is configured (development mode): tokens are not checked, so there is nothing to refresh");
    }
    Device device = devices.apply(call.peer());
    TokenExpiry expiry =
        expiries
            .apply(call.peer())
            .orElseThrow(() -> new RpcException(TOKEN_REFUSED, "the connection is closed"));
    Identity fresh;
    try {
      fresh = auth.verify(token);
    } catch (AuthException e) {
      log.info(
          "connection {} user {}: refresh refused ({}): {}",
          device.id(),
          device.userId(),
          e.reason(),
          e.getMessage());
      throw new RpcException(
          TOKEN_REFUSED,
          "invalid token: it does not verify (the server log says why); " + keeps(expiry));
    }
    try {
      expiry.refresh(fresh);
    } catch (IllegalArgumentException e) {
      log.info(
          "connection {} user {}: refresh refused: {}",
          device.id(),
          device.userId(),
          e.getMessage());
      throw new RpcException(WRONG_IDENTITY, e.getMessage() + "; " + keeps(expiry));
    } catch (IllegalStateException e) { // expired meanwhile: the connection is closing
      throw new RpcException(TOKEN_REFUSED, e.getMessage());
    }
    log.debug(
        "connection {} user {}: token refreshed; closes at {}",
        device.id(),
        device.userId(),
        expiry.deadline().map(Instant::toString).orElse("never"));
    return Collections.singletonMap(
        "expires_at", fresh.expiresAt().map(Instant::toString).orElse(null));
  }

  private static String keeps(TokenExpiry expiry) {
    return expiry
        .deadline()
        .map(at -> "the connection still closes at " + at)
        .orElse("the connection still does not expire");
  }

  private List<String> change(
      RpcCall call, List<String> channels, BiFunction<Device, List<String>, List<String>> change) {
    try {
      return change.apply(devices.apply(call.peer()), channels == null ? List.of() : channels);
    } catch (LimitExceededException e) {
      throw new RpcException(ErrorObject.LIMIT_EXCEEDED, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new RpcException(ErrorObject.INVALID_PARAMS, e.getMessage());
    }
  }
}
