package dev.switchboard.rpc;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.ErrorObject;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.jsonrpc.JsonSchemas;
import dev.switchboard.jsonrpc.MethodDescriptor;
import dev.switchboard.jsonrpc.Params;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * An annotated Java method bound to the wire: params by position or by name, bound through Jackson.
 */
final class MethodBinding implements RpcMethods.Invocable {

  private final Object target;
  private final Method method;
  private final List<WireParam> params;

  /** Index of the {@link RpcCall} argument in the Java signature, or -1. */
  private final int contextIndex;

  private final boolean varargs;
  private final MethodDescriptor descriptor;
  private final boolean nonBlocking;

  /**
   * @param schema the JSON Schema of the values it takes, for errors a caller can read
   */
  private record WireParam(
      String name,
      int javaIndex,
      JavaType type,
      JsonNode schema,
      boolean optional,
      boolean primitive) {}

  private MethodBinding(
      String name, String description, Object target, Method method, boolean nonBlocking) {
    this.nonBlocking = nonBlocking;
    this.target = target;
    this.method = method;
    this.varargs = method.isVarArgs();
    Parameter[] javaParams = method.getParameters();
    List<WireParam> wire = new ArrayList<>();
    List<MethodDescriptor.Param> described = new ArrayList<>();
    int context = -1;
    for (int i = 0; i < javaParams.length; i++) {
      Parameter p = javaParams[i];
      if (p.getType() == RpcCall.class) {
        context = i;
        continue;
      }
      if (!p.isNamePresent()) {
        throw new IllegalArgumentException(
            "compile "
                + method.getDeclaringClass().getName()
                + " with -parameters: the name of parameter "
                + i
                + " of "
                + method.getName()
                + " is needed for by-name params");
      }
      JavaType type = Json.mapper().getTypeFactory().constructType(p.getParameterizedType());
      boolean optional = p.getType() == Optional.class || (varargs && i == javaParams.length - 1);
      JsonNode schema = JsonSchemas.of(p.getParameterizedType());
      wire.add(new WireParam(p.getName(), i, type, schema, optional, p.getType().isPrimitive()));
      described.add(new MethodDescriptor.Param(p.getName(), schema, !optional));
    }
    this.params = List.copyOf(wire);
    this.contextIndex = context;
    this.descriptor =
        new MethodDescriptor(
            name,
            description.isEmpty() ? Optional.empty() : Optional.of(description),
            described,
            JsonSchemas.of(method.getGenericReturnType()),
            varargs
                ? MethodDescriptor.ParamStructure.BY_POSITION
                : MethodDescriptor.ParamStructure.EITHER);
  }

  static MethodBinding of(
      String name, String description, Object target, Method method, boolean nonBlocking) {
    method.setAccessible(
        true); // public methods of non-public classes (lambdas, test fixtures) need it
    return new MethodBinding(name, description, target, method, nonBlocking);
  }

  @Override
  public boolean nonBlocking() {
    return nonBlocking;
  }

  @Override
  public MethodDescriptor descriptor() {
    return descriptor;
  }

  @Override
  public Object invoke(RpcCall call) throws Exception {
    Object[] args = new Object[method.getParameterCount()];
    if (contextIndex >= 0) {
      args[contextIndex] = call;
    }
    switch (call.params()) {
      case Params.None none -> bindMissing(args, 0);
      case Params.ByPosition byPosition -> bindByPosition(args, byPosition.values());
      case Params.ByName byName -> bindByName(args, byName.values());
    }
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  private void bindByPosition(Object[] args, ArrayNode values) {
    int fixed = varargs ? params.size() - 1 : params.size();
    if (!varargs && values.size() > fixed) {
      throw invalid("expected at most " + fixed + " params, got " + values.size());
    }
    for (int i = 0; i < Math.min(fixed, values.size()); i++) {
      WireParam p = params.get(i);
      args[p.javaIndex()] = bind(p, values.get(i));
    }
    if (varargs) {
      WireParam rest = params.get(fixed);
      ArrayNode tail = Json.nodes().arrayNode();
      for (int i = fixed; i < values.size(); i++) {
        tail.add(values.get(i));
      }
      args[rest.javaIndex()] = bind(rest, tail);
    }
    bindMissing(args, Math.min(fixed, values.size()));
  }

  private void bindByName(Object[] args, ObjectNode values) {
    for (Iterator<String> names = values.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (params.stream().noneMatch(p -> p.name().equals(name))) {
        throw invalid(
            "unknown param '"
                + name
                + "'; expected "
                + params.stream().map(WireParam::name).toList());
      }
    }
    for (WireParam p : params) {
      JsonNode value = values.get(p.name());
      args[p.javaIndex()] = value == null ? missing(p) : bind(p, value);
    }
  }

  /** Fills the params from {@code from} on that were not sent. */
  private void bindMissing(Object[] args, int from) {
    for (int i = from; i < params.size(); i++) {
      WireParam p = params.get(i);
      if (args[p.javaIndex()] == null) {
        args[p.javaIndex()] =
            varargs && i == params.size() - 1 ? bind(p, Json.nodes().arrayNode()) : missing(p);
      }
    }
  }

  private static Object missing(WireParam p) {
    if (p.type().getRawClass() == Optional.class) {
      return Optional.empty();
    }
    if (p.primitive()) {
      throw invalid("missing param '" + p.name() + "'");
    }
    return null;
  }

  /**
   * {@code value} as {@code p}'s Java type. A value of the wrong shape is an Invalid params error
   * saying in JSON's words what {@code p} takes ("an array of strings"), never in Jackson's or
   * Java's; a value the type's own constructor refuses adds that constructor's message.
   */
  private static Object bind(WireParam p, JsonNode value) {
    try {
      return Json.mapper().treeToValue(value, p.type());
    } catch (Exception e) {
      Throwable cause = e.getCause();
      String refused =
          e instanceof ValueInstantiationException
                  && cause != null
                  && cause.getMessage() != null
                  && !(cause instanceof JacksonException)
              ? ": " + firstLine(cause.getMessage())
              : "";
      throw invalid(
          "param '"
              + p.name()
              + "' expects "
              + describe(p.schema())
              + ", got "
              + abbreviate(value)
              + refused);
    }
  }

  /** What a value of {@code schema} is, in words: "a string", "an array of strings". */
  static String describe(JsonNode schema) {
    String type = schema.path("type").asText("");
    return switch (type) {
      case "array" -> "an array of " + plural(schema.path("items"));
      case "object" -> "an object";
      case "string" -> schema.has("enum") ? "one of " + schema.get("enum").toString() : "a string";
      case "integer" -> "a whole number";
      case "number" -> "a number";
      case "boolean" -> "true or false";
      case "null" -> "null";
      default -> "any JSON value";
    };
  }

  private static String plural(JsonNode items) {
    return switch (items.path("type").asText("")) {
      case "array" -> "arrays";
      case "object" -> "objects";
      case "string" -> "strings";
      case "integer" -> "whole numbers";
      case "number" -> "numbers";
      case "boolean" -> "booleans";
      default -> "JSON values";
    };
  }

  static RpcException invalid(String why) {
    return new RpcException(ErrorObject.INVALID_PARAMS, "Invalid params: " + why);
  }

  private static String abbreviate(JsonNode value) {
    String text;
    try {
      text = value.toString();
    } catch (RuntimeException e) { // a MessagePack extension value has no JSON text
      text = value.getNodeType().toString();
    }
    return text.length() <= 60 ? text : text.substring(0, 57) + "...";
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "no detail";
    }
    int end = message.indexOf('\n');
    return end < 0 ? message : message.substring(0, end);
  }
}
