package dev.switchboard.jsonrpc;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.Comparator;

/** Builds the OpenRPC 1.3 document that {@code rpc.discover} returns. */
public final class OpenRpc {

  public static final String VERSION = "1.3.2";

  private OpenRpc() {}

  /** The document for {@code methods}, sorted by name so that it is stable between runs. */
  public static ObjectNode document(
      String title, String version, Collection<MethodDescriptor> methods) {
    ObjectNode document = Json.nodes().objectNode();
    document.put("openrpc", VERSION);
    document.putObject("info").put("title", title).put("version", version);
    ArrayNode list = document.putArray("methods");
    methods.stream()
        .sorted(Comparator.comparing(MethodDescriptor::name))
        .forEach(m -> list.add(method(m)));
    return document;
  }

  private static ObjectNode method(MethodDescriptor descriptor) {
    ObjectNode method = Json.nodes().objectNode();
    method.put("name", descriptor.name());
    descriptor.description().ifPresent(text -> method.put("description", text));
    ArrayNode params = method.putArray("params");
    for (MethodDescriptor.Param param : descriptor.params()) {
      ObjectNode node = params.addObject();
      node.put("name", param.name());
      node.put("required", param.required());
      node.set("schema", param.schema());
    }
    ObjectNode result = method.putObject("result");
    result.put("name", "result");
    result.set("schema", descriptor.result());
    method.put("paramStructure", descriptor.paramStructure().openRpcName());
    return method;
  }
}
