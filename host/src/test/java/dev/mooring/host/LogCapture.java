package dev.mooring.host;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Records what is logged under one logger name and its children while open, for tests that
 * check which log a line went to. Close it to detach.
 */
public final class LogCapture implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(String loggerName) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        appender.start();
        logger.addAppender(appender);
    }

    /** Starts recording the logger {@code loggerName} and every logger below it. */
    public static LogCapture of(String loggerName) {
        return new LogCapture(loggerName);
    }

    /** Returns every recorded line as "logger LEVEL message". */
    public List<String> lines() {
        synchronized (appender) {
            return appender.list.stream()
                    .map(event -> event.getLoggerName() + " " + event.getLevel() + " " + event.getFormattedMessage())
                    .toList();
        }
    }

    /** Returns whether a line logged by exactly {@code loggerName} contains {@code text}. */
    public boolean contains(String loggerName, String text) {
        return count(loggerName, text) > 0;
    }

    /** Returns how many lines logged by exactly {@code loggerName} contain {@code text}. */
    public long count(String loggerName, String text) {
        synchronized (appender) {
            return appender.list.stream()
                    .filter(event -> event.getLoggerName().equals(loggerName) && event.getFormattedMessage().contains(text))
                    .count();
        }
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
