package dev.mooring.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Guest output reaches the script's log line by line, except GraalJS's report of a promise
 * rejected by the host's interruption, which goes to debug with its stack lines.
 */
class LogOutputStreamTest {

    @Test
    void interruptedRejectionReportGoesToDebug() throws IOException {
        Logger logger = (Logger) LoggerFactory.getLogger("mooring.script.log-output-test");
        logger.setLevel(Level.DEBUG);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (LogOutputStream stream = new LogOutputStream(logger, true, "[stdout] ")) {
            stream.write(("""
                    before
                    [GraalVM JavaScript Warning] Unhandled promise rejection: Execution got interrupted.
                        at fetch (index.js:9-40:177-1165)
                        at objectFetch (mooring:runtime/dispatcher.js:95:4377-4407)
                    after
                        at a stack line of the script's own
                    """).getBytes(StandardCharsets.UTF_8));
        } finally {
            logger.detachAppender(appender);
        }

        List<String> lines = appender.list.stream().map(event -> event.getLevel() + " " + event.getFormattedMessage()).toList();
        assertEquals(List.of(
                "WARN [stdout] before",
                "DEBUG [stdout] [GraalVM JavaScript Warning] Unhandled promise rejection: Execution got interrupted.",
                "DEBUG [stdout]     at fetch (index.js:9-40:177-1165)",
                "DEBUG [stdout]     at objectFetch (mooring:runtime/dispatcher.js:95:4377-4407)",
                "WARN [stdout] after",
                "WARN [stdout]     at a stack line of the script's own"), lines);
    }
}
