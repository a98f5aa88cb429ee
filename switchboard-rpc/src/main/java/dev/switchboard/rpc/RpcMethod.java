package dev.switchboard.rpc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public method of a service object as callable over RPC (see {@link RpcMethods.Builder#register}).
 *
 * <p>Params bind by position (in declaration order; a varargs parameter takes the rest) or by name (parameter
 * names, so compile with {@code -parameters}). A parameter of type {@link RpcCall} receives the call's context
 * and is not a wire param. The method may return a value, a {@code CompletionStage}, or nothing ({@code "result":
 * null}); it runs on a virtual thread and may block.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface RpcMethod {

  /** The wire name; the Java method name when empty. */
  String value() default "";

  /** A description for {@code rpc.discover}. */
  String description() default "";
}
