package dev.switchboard.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public method of a service object as callable over RPC (see {@link
 * RpcMethods.Builder#register}).
 *
 * <p>Params bind by position (in declaration order; a varargs parameter takes the rest) or by name
 * (parameter names, so compile with {@code -parameters}). A parameter of type {@link RpcCall}
 * receives the call's context and is not a wire param. The method may return a value, a {@code
 * CompletionStage}, or nothing ({@code "result": null}); it runs on a virtual thread and may block,
 * unless it declares itself {@link #nonBlocking()}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RpcMethod {

  /** The wire name; the Java method name when empty. */
  String value() default "";

  /** A description for {@code rpc.discover}. */
  String description() default "";

  /**
   * True for a method that neither blocks nor runs long (microseconds: arithmetic, a map lookup, an
   * enqueue): it runs on the thread that read the request (a server's event loop) instead of a
   * virtual thread of its own, which saves two thread hand-offs a call. A method that may block
   * (I/O, locks held long, sleeps, waiting for the peer) must leave this false: on an event loop it
   * would stall every connection of that loop. Deadlines and {@code rpc.cancel} still answer such a
   * call, but never interrupt the thread it runs on.
   */
  boolean nonBlocking() default false;
}
