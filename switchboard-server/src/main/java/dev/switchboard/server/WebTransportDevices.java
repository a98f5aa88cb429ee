package dev.switchboard.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.auth.Identity;
import dev.switchboard.jsonrpc.Codec;
import dev.switchboard.jsonrpc.Encoding;
import dev.switchboard.jsonrpc.Notification;
import dev.switchboard.jsonrpc.Params;
import dev.switchboard.webtransport.WebTransportSession;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The open WebTransport devices of this node, as the application sees them. Thread-safe. */
final class WebTransportDevices {
  private final Set<Device> open = ConcurrentHashMap.newKeySet();

  /** A device whose RPC stream just opened; it leaves this set when its session closes. */
  WebTransportDevice add(Identity identity, WebTransportSession session, Encoding encoding) {
    Device device = new Device(identity, session, encoding);
    open.add(device);
    session.onClose((code, reason) -> open.remove(device));
    return device;
  }

  List<WebTransportDevice> all() {
    return List.copyOf(open);
  }

  private record Device(Identity identity, WebTransportSession session, Encoding encoding)
      implements WebTransportDevice {

    @Override
    public boolean notifyByDatagram(String method, JsonNode params) {
      Notification notification = new Notification(method, Params.from(params));
      Codec codec = encoding == Encoding.JSON ? Codec.json() : Codec.msgpack();
      return session.sendDatagram(codec.encode(notification));
    }

    // Identity by reference: two sessions of one user are two devices.
    @Override
    public boolean equals(Object other) {
      return this == other;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(this);
    }
  }
}
