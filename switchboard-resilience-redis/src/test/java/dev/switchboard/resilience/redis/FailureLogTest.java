package dev.switchboard.resilience.redis;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.lettuce.core.RedisConnectionException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class FailureLogTest {

  private final AtomicLong now = new AtomicLong();
  private final FailureLog log = new FailureLog("api", FailureMode.OPEN, now::get);
  private final Logger logger = (Logger) LoggerFactory.getLogger(RedisRateLimiter.class);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private Level levelBefore;

  @BeforeEach
  void record() {
    levelBefore = logger.getLevel();
    logger.setLevel(Level.INFO);
    appender.start();
    logger.addAppender(appender);
  }

  @AfterEach
  void stopRecording() {
    logger.detachAppender(appender);
    logger.setLevel(levelBefore);
  }

  @Test
  void warnsOnceWhenAnOutageStartsThenSumsUpAtMostEveryTenSeconds() {
    RedisConnectionException down = new RedisConnectionException("down");

    log.failed(down);
    for (int i = 0; i < 500; i++) {
      now.addAndGet(TimeUnit.MILLISECONDS.toNanos(10));
      log.failed(down);
    }
    now.addAndGet(TimeUnit.SECONDS.toNanos(6));
    log.failed(down);

    assertThat(lines())
        .containsExactly(
            "WARN redis rate limiter 'api': Redis failed (io.lettuce.core.RedisConnectionException: down); failing open"
                + " (granting) until it answers, further failures summed up every 10 s",
            "WARN redis rate limiter 'api': 501 more Redis failures, still failing open (granting); last:"
                + " io.lettuce.core.RedisConnectionException: down");
  }

  @Test
  void tellsOnceWhenRedisAnswersAgain() {
    log.answered();
    log.failed(new RedisConnectionException("down"));
    log.failed(new RedisConnectionException("down"));
    log.answered();
    log.answered();

    assertThat(lines())
        .hasSize(2)
        .last()
        .isEqualTo("INFO redis rate limiter 'api': Redis answers again after 2 failed requests");
  }

  private List<String> lines() {
    return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
  }
}
