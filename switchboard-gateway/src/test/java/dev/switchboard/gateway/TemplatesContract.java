package dev.switchboard.gateway;

import static dev.switchboard.gateway.SampleTemplates.template;
import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.gateway.Templates.Creation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Templates} store does, wherever it keeps them: an id names one template; create
 * never overwrites, replace never creates; the list is sorted by id; at most {@link
 * Templates#maxCount()} are kept and a template beyond is refused, never another forgotten; what is
 * stored comes back equal, payload template and times included.
 *
 * <p>A subclass makes an empty store ({@link #templates}), sharing nothing with any other the suite
 * makes. Nothing sleeps; every wait is bounded.
 */
public abstract class TemplatesContract {

  /** An empty store keeping at most {@code maxCount} templates. */
  protected abstract Templates templates(int maxCount);

  private Templates templates() {
    return templates(10);
  }

  @Test
  void aCreatedTemplateIsReadBackEqual() {
    Templates templates = templates();
    Template shipped = template("order-shipped", "{\"a\": [\"{{x}}\", {\"b\": 1.5}], \"c\": null}");

    assertThat(templates.create(shipped)).isEqualTo(new Creation.Created(shipped));

    assertThat(templates.get("order-shipped")).contains(shipped);
    assertThat(templates.list()).containsExactly(shipped);
  }

  @Test
  void anUnknownIdHasNoTemplate() {
    assertThat(templates().get("nope")).isEmpty();
  }

  @Test
  void createNeverOverwritesATemplateWithTheSameId() {
    Templates templates = templates();
    Template first = template("t1", "{\"v\": 1}");
    templates.create(first);

    Creation again = templates.create(template("t1", "{\"v\": 2}"));

    assertThat(again).isEqualTo(new Creation.AlreadyExists(first));
    assertThat(templates.get("t1")).contains(first);
  }

  @Test
  void idsDifferingOnlyInLetterCaseAreDifferentTemplates() {
    Templates templates = templates();
    templates.create(template("Order"));

    assertThat(templates.create(template("order"))).isInstanceOf(Creation.Created.class);
    assertThat(templates.list()).extracting(Template::id).containsExactly("Order", "order");
  }

  @Test
  void theListIsSortedById() {
    Templates templates = templates();
    for (String id : List.of("b", "a-2", "c", "a_1", "A")) {
      templates.create(template(id));
    }

    assertThat(templates.list())
        .extracting(Template::id)
        .containsExactly("A", "a-2", "a_1", "b", "c");
  }

  @Test
  void replaceChangesAnExistingTemplateOnly() {
    Templates templates = templates();
    templates.create(template("t1", "{\"v\": 1}"));
    Template changed = template("t1", "{\"v\": 2}");

    assertThat(templates.replace(changed)).isTrue();
    assertThat(templates.get("t1")).contains(changed);

    assertThat(templates.replace(template("t2"))).isFalse();
    assertThat(templates.get("t2")).isEmpty();
  }

  @Test
  void aDeletedTemplateIsGoneAndItsIdFreeAgain() {
    Templates templates = templates();
    templates.create(template("t1"));

    assertThat(templates.delete("t1")).isTrue();
    assertThat(templates.get("t1")).isEmpty();
    assertThat(templates.list()).isEmpty();
    assertThat(templates.delete("t1")).isFalse();
    assertThat(templates.create(template("t1"))).isInstanceOf(Creation.Created.class);
  }

  @Test
  void beyondTheMaxCountANewTemplateIsRefusedAndNoneForgotten() {
    Templates templates = templates(2);
    templates.create(template("t1"));
    templates.create(template("t2"));

    assertThat(templates.create(template("t3"))).isEqualTo(new Creation.Full(2));

    assertThat(templates.list()).extracting(Template::id).containsExactly("t1", "t2");
    assertThat(templates.maxCount()).isEqualTo(2);
  }

  @Test
  void aFullStoreStillReplacesAndMakesRoomByDeleting() {
    Templates templates = templates(1);
    templates.create(template("t1"));

    assertThat(templates.replace(template("t1", "{}"))).isTrue();
    templates.delete("t1");
    assertThat(templates.create(template("t2"))).isInstanceOf(Creation.Created.class);
  }

  @Test
  void timesAreKeptAsGiven() {
    Templates templates = templates();
    Instant created = Instant.parse("2026-03-04T05:06:07.123456789Z");
    Template t = template("t1");
    Template timed =
        new Template(
            t.id(),
            t.name(),
            t.eventType(),
            t.payloadTemplate(),
            t.priority(),
            t.ttlSeconds(),
            t.description(),
            created,
            created.plusSeconds(1));

    templates.create(timed);

    assertThat(templates.get("t1").orElseThrow().createdAt()).isEqualTo(created);
    assertThat(templates.get("t1").orElseThrow().updatedAt()).isEqualTo(created.plusSeconds(1));
  }

  @Test
  void ofManyCreatesOfOneIdAtOnceExactlyOneWins() throws Exception {
    Templates templates = templates();
    int racers = 8;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(racers);
    try {
      List<Future<Creation>> outcomes = new ArrayList<>();
      for (int i = 0; i < racers; i++) {
        Template mine = template("t1", "{\"racer\": " + i + "}");
        outcomes.add(
            pool.submit(
                () -> {
                  start.await(10, TimeUnit.SECONDS);
                  return templates.create(mine);
                }));
      }
      start.countDown();
      List<Creation> done = new ArrayList<>();
      for (Future<Creation> f : outcomes) {
        done.add(f.get(10, TimeUnit.SECONDS));
      }

      assertThat(done).filteredOn(c -> c instanceof Creation.Created).hasSize(1);
      Template winner =
          done.stream()
              .filter(c -> c instanceof Creation.Created)
              .map(c -> ((Creation.Created) c).template())
              .findFirst()
              .orElseThrow();
      assertThat(done)
          .filteredOn(c -> c instanceof Creation.AlreadyExists)
          .allSatisfy(c -> assertThat(((Creation.AlreadyExists) c).existing()).isEqualTo(winner));
      assertThat(templates.list()).containsExactly(winner);
    } finally {
      pool.shutdownNow();
    }
  }
}
