package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.auth.AuthException;
import dev.switchboard.auth.Identity;
import dev.switchboard.gateway.Deliveries;
import dev.switchboard.gateway.Device;
import dev.switchboard.gateway.LimitExceededException;
import dev.switchboard.gateway.Position;
import dev.switchboard.gateway.StreamId;
import dev.switchboard.gateway.Tenant;
import dev.switchboard.jsonrpc.ErrorObject;
import dev.switchboard.rpc.RpcCall;
import dev.switchboard.rpc.RpcException;
import dev.switchboard.rpc.RpcMethod;
import dev.switchboard.rpc.RpcPeer;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
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

  /** {@code ack}: nothing of this user waits for that notification; nothing changed. */
  static final int NOT_AWAITING_ACK = -32011;

  private static final Logger log = LoggerFactory.getLogger(DeviceMethods.class);

  private final Deliveries deliveries;
  private final Function<RpcPeer, Device> devices;
  private final DeviceAuth auth;

  /** The expiry of a connection's token; empty once the connection is gone. */
  private final Function<RpcPeer, Optional<TokenExpiry>> expiries;

  DeviceMethods(
      Deliveries deliveries,
      Function<RpcPeer, Device> devices,
      DeviceAuth auth,
      Function<RpcPeer, Optional<TokenExpiry>> expiries) {
    this.deliveries = deliveries;
    this.devices = devices;
    this.auth = auth;
    this.expiries = expiries;
  }

  /**
   * Subscribes, recovering first what the device missed on the channels of {@code recover} ({@code
   * {"<channel>": {"offset": N, "epoch": "E"}}}). Runs on a virtual thread: a shared store may
   * block.
   */
  @RpcMethod(
      description =
          "Subscribes this connection to channels (1-64 of letters, digits, '-', '_', '.'); "
              + "all or none. With recover {\"<channel>\": {offset, epoch}}, first delivers every "
              + "notification of that channel after offset, when its history still holds them all. "
              + "Answers {subscribed: [channels], recovered: {channel: true|false}, "
              + "positions: {channel: {offset, epoch}}}.")
  public Map<String, Object> subscribe(
      List<String> channels, Optional<JsonNode> recover, RpcCall call) {
    Map<String, Position> from = recover.map(DeviceMethods::positions).orElse(Map.of());
    Deliveries.Subscribed done =
        guarded(
            () ->
                deliveries.subscribe(
                    devices.apply(call.peer()), channels == null ? List.of() : channels, from));
    Map<String, Object> answer = new LinkedHashMap<>();
    answer.put("subscribed", done.subscribed());
    answer.put("recovered", done.recovered());
    Map<String, Map<String, Object>> positions = new LinkedHashMap<>();
    done.positions()
        .forEach(
            (name, p) -> positions.put(name, Map.of("offset", p.offset(), "epoch", p.epoch())));
    answer.put("positions", positions);
    return answer;
  }

  /**
   * {@code recover}: an object of channel to {@code {offset: whole number >= 0, epoch: string}}.
   */
  private static Map<String, Position> positions(JsonNode recover) {
    if (recover.isNull()) {
      return Map.of();
    }
    if (!recover.isObject()) {
      throw invalid("recover must be an object {\"<channel>\": {offset, epoch}}, got " + recover);
    }
    Map<String, Position> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : recover.properties()) {
      String name = e.getKey();
      JsonNode at = e.getValue();
      JsonNode offset = at.get("offset");
      JsonNode epoch = at.get("epoch");
      if (!at.isObject()
          || offset == null
          || !offset.canConvertToExactIntegral()
          || !offset.canConvertToLong()
          || offset.asLong() < 0
          || epoch == null
          || !epoch.isTextual()) {
        throw invalid(
            "recover."
                + name
                + " must be {offset: a whole number >= 0, epoch: a string}, got "
                + at);
      }
      try {
        out.put(name, new Position(new StreamId.Channel(name), offset.asLong(), epoch.asText()));
      } catch (IllegalArgumentException bad) {
        throw invalid(bad.getMessage());
      }
    }
    return out;
  }

  /**
   * Acknowledges a notification this connection's user received: it counts in the ACK statistics
   * and, for a device connected with {@code ack=1}, is never delivered again.
   */
  @RpcMethod(
      description =
          "Acknowledges a notification sent to this connection's user. Answers {acked: true}; "
              + "-32011 when nothing of this user waits for it (unknown, another user's, expired, "
              + "or a channel's notification).")
  @SuppressWarnings("checkstyle:ParameterName") // the wire name, as Ara's devices send it
  public Map<String, Boolean> ack(String notification_id, RpcCall call) {
    if (notification_id == null) {
      throw invalid("missing param 'notification_id'");
    }
    UUID id;
    try {
      id = UUID.fromString(notification_id);
    } catch (IllegalArgumentException e) {
      throw invalid("notification_id must be a UUID, got \"" + notification_id + "\"");
    }
    Device device = devices.apply(call.peer());
    if (!deliveries.ack(device.userId(), id)) {
      throw new RpcException(
          NOT_AWAITING_ACK,
          "notification "
              + id
              + " is not waiting for an ACK from user "
              + Tenant.userName(device.userId())
              + ": it was never sent to them, its ACK timed out and it left their inbox, or it was "
              + "sent to a channel (channels are recovered by offset instead)");
    }
    return Map.of("acked", true);
  }

  private static RpcException invalid(String why) {
    return new RpcException(ErrorObject.INVALID_PARAMS, why);
  }

  @RpcMethod(
      description =
          "Unsubscribes this connection from channels. Answers {unsubscribed: [channels]}.",
      nonBlocking = true)
  public Map<String, List<String>> unsubscribe(List<String> channels, RpcCall call) {
    return Map.of("unsubscribed", change(call, channels, deliveries::unsubscribe));
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
      LogFields.device(device, log.atInfo())
          .log(
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
      LogFields.device(device, log.atInfo())
          .log(
              "connection {} user {}: refresh refused: {}",
              device.id(),
              device.userId(),
              e.getMessage());
      throw new RpcException(WRONG_IDENTITY, e.getMessage() + "; " + keeps(expiry));
    } catch (IllegalStateException e) { // expired meanwhile: the connection is closing
      throw new RpcException(TOKEN_REFUSED, e.getMessage());
    }
    LogFields.device(device, log.atDebug())
        .log(
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
    return guarded(
        () -> change.apply(devices.apply(call.peer()), channels == null ? List.of() : channels));
  }

  /** Runs a registry change, its refusals turned into RPC errors. */
  private static <T> T guarded(java.util.function.Supplier<T> change) {
    try {
      return change.get();
    } catch (LimitExceededException e) {
      throw new RpcException(ErrorObject.LIMIT_EXCEEDED, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new RpcException(ErrorObject.INVALID_PARAMS, e.getMessage());
    }
  }
}
