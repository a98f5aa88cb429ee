package dev.switchboard.server;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import java.util.Iterator;
import org.slf4j.ILoggerFactory;

/**
 * Puts {@code logging.format} on the console. {@link Observability.LogFormat#TEXT} changes nothing
 * (the pattern of {@code logback.xml}); {@link Observability.LogFormat#JSON} gives the root
 * logger's console appenders a {@link JsonLogEncoder}. {@code switchboard serve} calls it once the
 * configuration is read: what was logged before that (a configuration error, say) is text.
 *
 * <p>Only when SLF4J writes through Logback: an application that embeds the server and logs
 * otherwise keeps its own format.
 */
final class ConsoleLogs {

  private ConsoleLogs() {}

  /** Switches the console appenders of {@code loggers} (SLF4J's factory) to {@code format}. */
  static void use(Observability.LogFormat format, ILoggerFactory loggers) {
    if (format == Observability.LogFormat.TEXT || !(loggers instanceof LoggerContext context)) {
      return;
    }
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
      if (it.next() instanceof ConsoleAppender<ILoggingEvent> console) {
        JsonLogEncoder json = new JsonLogEncoder();
        json.setContext(context);
        json.start();
        // Not stopped and started again: no line logged meanwhile is lost.
        console.setEncoder(json);
      }
    }
  }
}
