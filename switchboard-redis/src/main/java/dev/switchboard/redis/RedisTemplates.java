package dev.switchboard.redis;

import dev.switchboard.gateway.SharedStateException;
import dev.switchboard.gateway.Template;
import dev.switchboard.gateway.Templates;
import io.lettuce.core.ScriptOutputType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The templates of a cluster, kept in Redis: one hash ({@code engine.key("templates")}) of id to
 * the template as JSON, which every node sharing the key prefix reads and writes. A create is one
 * Lua script (id taken, count checked and template stored at once), so that the store never holds
 * more than {@link #maxCount()} templates and of many creates of one id on any nodes exactly one
 * wins. Tenants' templates are in the same hash under their keys ({@code <tenant>~<id>}, through
 * {@link Templates#in}), and count towards the one max count.
 *
 * <p>Thread-safe. Every method blocks for at most the engine's command timeout (virtual threads,
 * never an event loop) and throws {@link SharedStateException} when Redis cannot answer.
 */
public final class RedisTemplates implements Templates {

  private static final LuaScript CREATE = LuaScript.load("templates-create.lua");
  private static final LuaScript REPLACE = LuaScript.load("templates-replace.lua");

  private final RedisEngine engine;
  private final int maxCount;
  private final String key;

  private RedisTemplates(RedisEngine engine, int maxCount) {
    this.engine = engine;
    this.maxCount = maxCount;
    this.key = engine.key("templates");
  }

  /**
   * The templates of {@code engine}'s cluster, at most {@code maxCount} of them ({@code
   * templates.max_count}). Sends nothing until used.
   *
   * @throws IllegalArgumentException when {@code maxCount} is less than 1
   */
  public static RedisTemplates create(RedisEngine engine, int maxCount) {
    Objects.requireNonNull(engine, "engine");
    if (maxCount < 1) {
      throw new IllegalArgumentException("templates.max_count must be at least 1, got " + maxCount);
    }
    return new RedisTemplates(engine, maxCount);
  }

  @Override
  public Creation create(Template template) {
    Objects.requireNonNull(template, "template");
    List<Object> answer =
        engine.call(
            "create template " + template.id(),
            c ->
                RedisEngine.<List<Object>>eval(
                    c,
                    CREATE,
                    ScriptOutputType.MULTI,
                    new String[] {key},
                    RedisEngine.utf8(template.id()),
                    RedisTemplatesJson.write(template),
                    RedisEngine.number(maxCount)));
    long outcome = (Long) answer.get(0);
    if (outcome == 1) {
      return new Creation.Created(template);
    }
    if (outcome == 0) {
      return new Creation.AlreadyExists(RedisTemplatesJson.read((byte[]) answer.get(1)));
    }
    return new Creation.Full(maxCount);
  }

  @Override
  public Optional<Template> get(String id) {
    Objects.requireNonNull(id, "id");
    byte[] json = engine.call("read template " + id, c -> c.hget(key, id));
    return Optional.ofNullable(json).map(RedisTemplatesJson::read);
  }

  @Override
  public List<Template> list() {
    Map<String, byte[]> all = engine.call("list templates", c -> c.hgetall(key));
    List<Template> out = new ArrayList<>(all.size());
    all.values().forEach(json -> out.add(RedisTemplatesJson.read(json)));
    out.sort(Comparator.comparing(Template::id));
    return List.copyOf(out);
  }

  @Override
  public boolean replace(Template template) {
    Objects.requireNonNull(template, "template");
    Long replaced =
        engine.call(
            "replace template " + template.id(),
            c ->
                RedisEngine.<Long>eval(
                    c,
                    REPLACE,
                    ScriptOutputType.INTEGER,
                    new String[] {key},
                    RedisEngine.utf8(template.id()),
                    RedisTemplatesJson.write(template)));
    return replaced == 1;
  }

  @Override
  public boolean delete(String id) {
    Objects.requireNonNull(id, "id");
    return engine.call("delete template " + id, c -> c.hdel(key, id)) == 1;
  }

  @Override
  public int maxCount() {
    return maxCount;
  }
}
