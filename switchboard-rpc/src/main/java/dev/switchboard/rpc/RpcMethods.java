package dev.switchboard.rpc;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.jsonrpc.MethodDescriptor;
import dev.switchboard.jsonrpc.OpenRpc;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The methods one side answers. Immutable and shareable between connections; build with {@link
 * #builder()}.
 *
 * <p>Names starting with {@code rpc.} are reserved for Switchboard's own methods: {@code
 * rpc.discover} (an OpenRPC document of these methods), {@code rpc.ping} and {@code rpc.cancel}.
 */
public final class RpcMethods {

  private static final RpcMethods EMPTY = builder().build();

  private final Map<String, Invocable> methods;
  private final ObjectNode openRpc;

  private RpcMethods(Builder builder) {
    this.methods = Map.copyOf(builder.methods);
    this.openRpc =
        OpenRpc.document(
            builder.title,
            builder.version,
            methods.values().stream().map(Invocable::descriptor).toList());
  }

  public static RpcMethods empty() {
    return EMPTY;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Set<String> names() {
    return methods.keySet();
  }

  public Optional<MethodDescriptor> describe(String name) {
    return Optional.ofNullable(methods.get(name)).map(Invocable::descriptor);
  }

  Optional<Invocable> find(String name) {
    return Optional.ofNullable(methods.get(name));
  }

  /** The {@code rpc.discover} answer; a copy, since nodes are mutable. */
  ObjectNode openRpcDocument() {
    return openRpc.deepCopy();
  }

  /**
   * Collects methods; rejects reserved, blank and duplicate names with a message that names them.
   */
  public static final class Builder {
    private final Map<String, Invocable> methods = new LinkedHashMap<>();
    private String title = "Switchboard";
    private String version = "0";

    private Builder() {}

    /** Registers every public {@link RpcMethod}-annotated method of {@code service}. */
    public Builder register(Object service) {
      Objects.requireNonNull(service, "service");
      int found = 0;
      for (Method method : service.getClass().getMethods()) {
        RpcMethod annotation = method.getAnnotation(RpcMethod.class);
        if (annotation == null || Modifier.isStatic(method.getModifiers())) {
          continue;
        }
        String name = annotation.value().isEmpty() ? method.getName() : annotation.value();
        add(
            name,
            MethodBinding.of(
                name, annotation.description(), service, method, annotation.nonBlocking()));
        found++;
      }
      if (found == 0) {
        throw new IllegalArgumentException(
            service.getClass().getName() + " has no public @RpcMethod methods to register");
      }
      return this;
    }

    /** Registers a lambda; {@code rpc.discover} lists it with no declared params. */
    public Builder method(String name, RpcHandler handler) {
      return method(described(name), handler);
    }

    private static MethodDescriptor described(String name) {
      return new MethodDescriptor(
          name,
          Optional.empty(),
          List.of(),
          JsonNodeFactory.instance.objectNode(),
          MethodDescriptor.ParamStructure.EITHER);
    }

    /** Registers a lambda with the description {@code rpc.discover} gives of it. */
    public Builder method(MethodDescriptor descriptor, RpcHandler handler) {
      Objects.requireNonNull(descriptor, "descriptor");
      Objects.requireNonNull(handler, "handler");
      return add(descriptor.name(), new LambdaMethod(descriptor, handler, false));
    }

    /**
     * Registers a lambda that neither blocks nor runs long: it runs on the thread that read the
     * request (see {@link RpcMethod#nonBlocking()}).
     */
    public Builder nonBlockingMethod(String name, RpcHandler handler) {
      Objects.requireNonNull(handler, "handler");
      return add(name, new LambdaMethod(described(name), handler, true));
    }

    /** Adds every method of {@code other}. */
    public Builder include(RpcMethods other) {
      other.methods.forEach(this::add);
      return this;
    }

    /** The {@code info} of the {@code rpc.discover} document. */
    public Builder info(String title, String version) {
      this.title = Objects.requireNonNull(title, "title");
      this.version = Objects.requireNonNull(version, "version");
      return this;
    }

    public RpcMethods build() {
      return new RpcMethods(this);
    }

    private Builder add(String name, Invocable invocable) {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw new IllegalArgumentException("a method name must not be blank");
      }
      if (name.startsWith("rpc.")) {
        throw new IllegalArgumentException(
            "method name '"
                + name
                + "' is reserved: names starting with 'rpc.' belong to Switchboard");
      }
      if (methods.putIfAbsent(name, invocable) != null) {
        throw new IllegalArgumentException("method '" + name + "' is registered twice");
      }
      return this;
    }
  }

  /** A registered method: what runs and how it is described. */
  interface Invocable {
    Object invoke(RpcCall call) throws Exception;

    MethodDescriptor descriptor();

    /** Runs on the thread that read the request ({@link RpcMethod#nonBlocking()}). */
    boolean nonBlocking();
  }

  private record LambdaMethod(MethodDescriptor descriptor, RpcHandler handler, boolean nonBlocking)
      implements Invocable {
    @Override
    public Object invoke(RpcCall call) throws Exception {
      return handler.handle(call);
    }
  }
}
