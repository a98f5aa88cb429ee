package dev.switchboard.cluster;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One function a provider serves, with the resources (tags such as {@code model-a}) it holds: a
 * command for {@code function} whose {@code locs} are all in {@code resources} may run there.
 *
 * @param function the function's name: 1 to {@value #MAX_NAME_CHARS} characters, no spaces, not
 *     starting with {@code rpc.} or {@code cluster.}
 * @param resources its resources, each 1 to {@value #MAX_NAME_CHARS} characters; sorted, copied
 * @param idempotent running it twice does no harm: a call whose node dies is tried again elsewhere
 */
public record Offer(String function, Set<String> resources, boolean idempotent) {

  /** The longest function name or resource tag. */
  public static final int MAX_NAME_CHARS = 128;

  private static final Pattern NAME = Pattern.compile("[^\\s]{1," + MAX_NAME_CHARS + "}");

  public Offer {
    checkFunction(function);
    Objects.requireNonNull(resources, "resources");
    for (String r : resources) {
      checkResource(r);
    }
    resources = java.util.Collections.unmodifiableSet(new TreeSet<>(resources));
  }

  /** Whether a command at {@code locs} may run here: every tag is one of {@link #resources}. */
  public boolean serves(String function, java.util.Collection<String> locs) {
    return this.function.equals(function) && resources.containsAll(locs);
  }

  /**
   * Checks a function name.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static String checkFunction(String function) {
    if (function == null || !NAME.matcher(function).matches()) {
      throw new IllegalArgumentException(
          "a function name is 1 to "
              + MAX_NAME_CHARS
              + " characters without spaces, got "
              + (function == null ? "none" : "\"" + function + "\""));
    }
    if (function.startsWith("rpc.") || function.startsWith("cluster.")) {
      throw new IllegalArgumentException(
          "function \""
              + function
              + "\" is reserved: names starting with rpc. or cluster. belong to Switchboard");
    }
    return function;
  }

  /**
   * Checks a resource tag.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static String checkResource(String resource) {
    if (resource == null || !NAME.matcher(resource).matches()) {
      throw new IllegalArgumentException(
          "a resource is 1 to "
              + MAX_NAME_CHARS
              + " characters without spaces, got "
              + (resource == null ? "none" : "\"" + resource + "\""));
    }
    return resource;
  }
}
