package dev.mooring.host;

import ch.qos.logback.classic.Level;
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
    private final Level previousLevel;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(String loggerName, Level level) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        this.previousLevel = logger.getLevel();
        if (level != null) {
            logger.setLevel(level);
        }
        appender.start();
        logger.addAppender(appender);
    }

    /** Starts recording the logger {@code loggerName} and every logger below it, at their configured levels. */
    public static LogCapture of(String loggerName) {
        return new LogCapture(loggerName, null);
    }

    /**
     * Starts recording the logger {@code loggerName} and every logger below it, with DEBUG enabled
     * for them until {@link #close}, for tests that check which details stay out of the INFO log.
     */
    public static LogCapture withDebug(String loggerName) {
        return new LogCapture(loggerName, Level.DEBUG);
    }

    /** Returns the messages that {@code loggerName} logged at {@code level}, in order. */
    public List<String> messages(String loggerName, String level) {
        synchronized (appender) {
            return appender.list.stream()
                    .filter(event -> event.getLoggerName().equals(loggerName) && event.getLevel().toString().equals(level))
                    .map(ILoggingEvent::getFormattedMessage)
                    .toList();
        }
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
        logger.setLevel(previousLevel);
    }
}
