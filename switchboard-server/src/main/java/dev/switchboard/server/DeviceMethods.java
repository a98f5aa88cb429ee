package dev.switchboard.server;

import dev.switchboard.gateway.Device;
import dev.switchboard.gateway.LimitExceededException;
import dev.switchboard.gateway.Registry;
import dev.switchboard.jsonrpc.ErrorObject;
import dev.switchboard.rpc.RpcCall;
import dev.switchboard.rpc.RpcException;
import dev.switchboard.rpc.RpcMethod;
import dev.switchboard.rpc.RpcPeer;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The methods every device may call. A bad channel name is an Invalid params error (-32602) naming it; passing
 * the subscription limit is -32006. Either way nothing changes.
 */
public final class DeviceMethods {

  private final Registry registry;
  private final Function<RpcPeer, Device> devices;

  DeviceMethods(Registry registry, Function<RpcPeer, Device> devices) {
    this.registry = registry;
    this.devices = devices;
  }

  @RpcMethod(description = "Subscribes this connection to channels (1-64 of letters, digits, '-', '_', '.'); "
      + "all or none. Answers {subscribed: [channels]}.")
  public Map<String, List<String>> subscribe(List<String> channels, RpcCall call) {
    return Map.of("subscribed", change(call, channels, registry::subscribe));
  }

  @RpcMethod(description = "Unsubscribes this connection from channels. Answers {unsubscribed: [channels]}.")
  public Map<String, List<String>> unsubscribe(List<String> channels, RpcCall call) {
    return Map.of("unsubscribed", change(call, channels, registry::unsubscribe));
  }

  @RpcMethod(description = "Answers \"pong\".")
  public String ping() {
    return "pong";
  }

  private List<String> change(RpcCall call, List<String> channels,
      BiFunction<Device, List<String>, List<String>> change) {
    try {
      return change.apply(devices.apply(call.peer()), channels == null ? List.of() : channels);
    } catch (LimitExceededException e) {
      throw new RpcException(ErrorObject.LIMIT_EXCEEDED, e.getMessage());
    } catch (IllegalArgumentException e) {
      throw new RpcException(ErrorObject.INVALID_PARAMS, e.getMessage());
    }
  }
}
