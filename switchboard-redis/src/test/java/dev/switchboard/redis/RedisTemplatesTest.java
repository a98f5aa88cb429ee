package dev.switchboard.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.gateway.Priority;
import dev.switchboard.gateway.SharedStateException;
import dev.switchboard.gateway.Template;
import dev.switchboard.gateway.Templates;
import dev.switchboard.gateway.Templates.Creation;
import dev.switchboard.gateway.TemplatesContract;
import dev.switchboard.gateway.Tenant;
import dev.switchboard.jsonrpc.Json;
import dev.switchboard.testing.RedisServerProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The templates contract on Redis (each test on an emptied server), and what only a shared store
 * does: two nodes see one set of templates, a tenant's are kept apart, an outage is said.
 */
class RedisTemplatesTest extends TemplatesContract {

  private static RedisServerProcess redis;

  /** Engines a test opened; closed after it. */
  private final List<RedisEngine> engines = new ArrayList<>();

  @BeforeAll
  static void startRedis() {
    redis = RedisServerProcess.start();
  }

  @AfterAll
  static void stopRedis() {
    redis.close();
  }

  @BeforeEach
  void emptyRedis() {
    redis.flushAll();
  }

  @AfterEach
  void closeEngines() {
    engines.forEach(RedisEngine::close);
  }

  private RedisEngine node(String nodeId) {
    RedisEngine engine =
        RedisEngine.connect(
            RedisSettings.of(redis.uri(), nodeId)
                .withKeyPrefix("templates-test:")
                .withCommandTimeout(Duration.ofSeconds(5)));
    engines.add(engine);
    return engine;
  }

  @Override
  protected Templates templates(int maxCount) {
    return RedisTemplates.create(node("node-a"), maxCount);
  }

  @Test
  void everyNodeSeesTheTemplatesOfTheOthersAndOneMaxCountForAll() {
    Templates here = RedisTemplates.create(node("node-a"), 2);
    Templates there = RedisTemplates.create(node("node-b"), 2);
    Template shipped = template("order-shipped");

    here.create(shipped);

    assertThat(there.get("order-shipped")).contains(shipped);
    assertThat(there.create(template("order-shipped")))
        .isEqualTo(new Creation.AlreadyExists(shipped));
    there.create(template("order-paid"));
    assertThat(here.create(template("order-lost"))).isEqualTo(new Creation.Full(2));
    assertThat(there.delete("order-shipped")).isTrue();
    assertThat(here.list()).extracting(Template::id).containsExactly("order-paid");
  }

  @Test
  void aTenantsTemplatesAreItsOwnBesideTheDefaultTenants() {
    Templates all = templates(10);
    Templates acme = all.in(new Tenant("acme"));
    Template mine = template("t1");

    assertThat(acme.create(mine)).isEqualTo(new Creation.Created(mine));
    all.create(template("t1"));

    assertThat(acme.list()).containsExactly(mine);
    assertThat(all.list()).extracting(Template::id).containsExactly("acme~t1", "t1");
    assertThat(all.in(Tenant.DEFAULT).list()).extracting(Template::id).containsExactly("t1");
  }

  @Test
  void aTemplateWithoutTtlOrWithADescriptionIsReadBackEqual() {
    Templates templates = templates(10);
    Template t = template("t1");
    Template plain =
        new Template(
            "t1",
            t.name(),
            t.eventType(),
            t.payloadTemplate(),
            Priority.LOW,
            OptionalLong.empty(),
            Optional.of("said \"twice\" ü"),
            t.createdAt(),
            t.updatedAt());

    templates.create(plain);

    assertThat(templates.get("t1")).contains(plain);
  }

  @Test
  void whileRedisIsAwayCallsSayWhy() {
    try (RedisServerProcess own = RedisServerProcess.start();
        RedisEngine engine =
            RedisEngine.connect(
                RedisSettings.of(own.uri(), "node-a").withCommandTimeout(Duration.ofMillis(500)))) {
      Templates templates = RedisTemplates.create(engine, 10);
      templates.create(template("t1"));

      own.stop();

      assertThatThrownBy(() -> templates.get("t1"))
          .isInstanceOf(SharedStateException.class)
          .hasMessageStartingWith("Redis could not read template t1");
    }
  }

  @Test
  void aStoreKeepsAtLeastOneTemplate() {
    assertThatThrownBy(() -> RedisTemplates.create(node("node-a"), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("templates.max_count must be at least 1, got 0");
  }

  private static Template template(String id) {
    try {
      return new Template(
          id,
          "Order shipped",
          "order.shipped",
          Json.mapper().readTree("{\"title\": \"Order {{order_id}} shipped\"}"),
          Priority.HIGH,
          OptionalLong.of(86_400),
          Optional.empty(),
          Instant.parse("2026-01-01T00:00:00Z"),
          Instant.parse("2026-01-01T00:00:00Z"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
