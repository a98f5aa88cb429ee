package dev.switchboard.redis;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.cluster.NodeFunctions;
import dev.switchboard.cluster.Offer;
import dev.switchboard.jsonrpc.Json;
import io.lettuce.core.KeyValue;
import io.lettuce.core.Range;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * The Redis commands of the {@link RedisFunctionDirectory}, apart from its threads. One node's hash
 * has fields {@code address} (UTF-8), {@code offers} (a JSON array of {@code {"function",
 * "resources", "idempotent"}}, resources sorted) and {@code load} (decimal digits).
 */
final class FunctionDirectoryHash {

  /** The hash's fields, in the order {@code read} takes their values. */
  static final String[] FIELDS = {"address", "offers", "load"};

  /** Rewrites one node's hash with its time to live, then tells the others when ARGV[5] is set. */
  private static final LuaScript WRITE =
      LuaScript.of(
          "function-directory-write",
          """
          redis.call('HSET', KEYS[1], 'address', ARGV[1], 'offers', ARGV[2], 'load', ARGV[3])
          redis.call('PEXPIRE', KEYS[1], ARGV[4])
          if ARGV[5] ~= '' then redis.call('PUBLISH', ARGV[5], ARGV[6]) end
          return 1
          """);

  /** Deletes one node's hash and tells the others. */
  private static final LuaScript LEAVE =
      LuaScript.of(
          "function-directory-leave",
          """
          redis.call('DEL', KEYS[1])
          redis.call('PUBLISH', ARGV[1], ARGV[2])
          return 1
          """);

  private FunctionDirectoryHash() {}

  /** What a reader does with a node whose hash cannot be read: it is left out of the view. */
  interface Unreadable {
    void found(String nodeId, Exception error);
  }

  /**
   * Rewrites a node's hash, which expires {@code ttlMillis} later, and publishes the node's id on
   * {@code channel} when there is one. For {@link RedisEngine#call}.
   */
  static CompletionStage<Long> write(
      RedisAsyncCommands<String, byte[]> c,
      String key,
      String address,
      String offersJson,
      long load,
      long ttlMillis,
      Optional<String> channel,
      String nodeId) {
    return RedisEngine.eval(
        c,
        WRITE,
        ScriptOutputType.INTEGER,
        new String[] {key},
        RedisEngine.utf8(address),
        RedisEngine.utf8(offersJson),
        RedisEngine.number(load),
        RedisEngine.number(ttlMillis),
        RedisEngine.utf8(channel.orElse("")),
        RedisEngine.utf8(nodeId));
  }

  /**
   * Deletes a node's hash and publishes its id on {@code channel}. For {@link RedisEngine#call}.
   */
  static CompletionStage<Long> leave(
      RedisAsyncCommands<String, byte[]> c, String key, String channel, String nodeId) {
    return RedisEngine.eval(
        c,
        LEAVE,
        ScriptOutputType.INTEGER,
        new String[] {key},
        RedisEngine.utf8(channel),
        RedisEngine.utf8(nodeId));
  }

  /**
   * The live nodes but {@code self} (ids in {@code nodesKey} seen at or after {@code since}) as
   * their hashes say, sorted by id, in two round trips; a node without a hash (left, or not yet
   * written) is left out, and so is one whose hash is unreadable, after telling {@code unreadable}.
   * For {@link RedisEngine#call}.
   */
  static CompletionStage<List<NodeFunctions>> readOthers(
      RedisAsyncCommands<String, byte[]> c,
      String nodesKey,
      long since,
      String self,
      UnaryOperator<String> keyOf,
      Unreadable unreadable) {
    return c.zrangebyscore(
            nodesKey, Range.from(Range.Boundary.including(since), Range.Boundary.unbounded()))
        .thenCompose(
            ids -> {
              List<CompletableFuture<Optional<NodeFunctions>>> reads = new ArrayList<>();
              for (byte[] raw : ids) {
                String id = new String(raw, StandardCharsets.UTF_8);
                if (!id.equals(self)) {
                  reads.add(
                      c.hmget(keyOf.apply(id), FIELDS)
                          .thenApply(values -> read(id, values, unreadable))
                          .toCompletableFuture());
                }
              }
              return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new))
                  .thenApply(
                      done ->
                          reads.stream()
                              .flatMap(read -> read.join().stream())
                              .sorted(Comparator.comparing(NodeFunctions::nodeId))
                              .toList());
            });
  }

  /** The node of {@code values}, the answer to {@code HMGET key address offers load}. */
  private static Optional<NodeFunctions> read(
      String id, List<KeyValue<String, byte[]>> values, Unreadable unreadable) {
    if (!values.get(0).hasValue() || !values.get(1).hasValue()) {
      return Optional.empty();
    }
    try {
      String address = new String(values.get(0).getValue(), StandardCharsets.UTF_8);
      List<Offer> offers = decode(new String(values.get(1).getValue(), StandardCharsets.UTF_8));
      long load =
          values.get(2).hasValue()
              ? Long.parseLong(new String(values.get(2).getValue(), StandardCharsets.US_ASCII))
              : 0;
      return Optional.of(new NodeFunctions(id, address, offers, load));
    } catch (JacksonException | IllegalArgumentException e) {
      unreadable.found(id, e);
      return Optional.empty();
    }
  }

  /** Offers as the JSON array of the hash's {@code offers} field; resources sorted. */
  static String encode(List<Offer> offers) {
    ArrayNode array = Json.mapper().createArrayNode();
    for (Offer offer : offers) {
      ObjectNode node = array.addObject();
      node.put("function", offer.function());
      ArrayNode resources = node.putArray("resources");
      new TreeSet<>(offer.resources()).forEach(resources::add);
      node.put("idempotent", offer.idempotent());
    }
    return array.toString();
  }

  /**
   * Offers from the JSON of {@link #encode}.
   *
   * @throws IllegalArgumentException when a field is missing, of another type, or invalid
   */
  static List<Offer> decode(String json) throws JacksonException {
    JsonNode array = Json.mapper().readTree(json);
    if (array == null || !array.isArray()) {
      throw new IllegalArgumentException("offers are not a JSON array: " + json);
    }
    List<Offer> offers = new ArrayList<>();
    for (JsonNode node : array) {
      JsonNode function = node.path("function");
      JsonNode resources = node.path("resources");
      JsonNode idempotent = node.path("idempotent");
      if (!function.isTextual() || !resources.isArray() || !idempotent.isBoolean()) {
        throw new IllegalArgumentException("an offer is not {function, resources, idempotent}");
      }
      Set<String> tags = new TreeSet<>();
      for (JsonNode tag : resources) {
        if (!tag.isTextual()) {
          throw new IllegalArgumentException("a resource is not a string: " + tag);
        }
        tags.add(tag.asText());
      }
      offers.add(new Offer(function.asText(), tags, idempotent.asBoolean()));
    }
    return List.copyOf(offers);
  }
}
