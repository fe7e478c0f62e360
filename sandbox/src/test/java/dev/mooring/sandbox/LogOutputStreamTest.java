package dev.mooring.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Guest output reaches the script's log line by line, except GraalJS's report of a promise
 * rejected by the host's interruption, which goes to debug with its stack lines, its reports of
 * other unhandled rejections, which keep only the script's frames, and lines past the output
 * budget, which are dropped and counted.
 */
class LogOutputStreamTest {

    @Test
    void interruptedRejectionReportGoesToDebug() throws IOException {
        Logger logger = (Logger) LoggerFactory.getLogger("mooring.script.log-output-test");
        logger.setLevel(Level.DEBUG);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (LogOutputStream stream = new LogOutputStream(logger, true, "[stdout] ", null)) {
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

    @Test
    void rejectionReportKeepsScriptFrames() throws IOException {
        Logger logger = (Logger) LoggerFactory.getLogger("mooring.script.log-rejection-test");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (LogOutputStream stream = new LogOutputStream(logger, true, "[stdout] ", null)) {
            stream.write(("""
                    [GraalVM JavaScript Warning] Unhandled promise rejection: Error: forgotten
                        at Error
                        at fetch (worker.js:3:61-82)
                        at fetch (worker.js:2-5:19-119)
                        at Function.prototype.call (<builtin>:1:0)
                        at workerFetch (mooring:runtime/dispatcher.js:120:5559-5597)
                        at org.graalvm.polyglot.Value<InteropBoundFunction>.execute
                    next line
                        at a stack line of the script's own
                    """).getBytes(StandardCharsets.UTF_8));
        } finally {
            logger.detachAppender(appender);
        }

        List<String> lines = appender.list.stream().map(event -> event.getLevel() + " " + event.getFormattedMessage()).toList();
        assertEquals(List.of(
                "WARN Uncaught (in promise) Error: forgotten",
                "WARN     at fetch (worker.js:3)",
                "WARN     at fetch (worker.js:2)",
                "WARN [stdout] next line",
                "WARN [stdout]     at a stack line of the script's own"), lines);
    }

    @Test
    void linesPastBudgetAreDroppedAndCounted() throws IOException {
        Logger logger = (Logger) LoggerFactory.getLogger("mooring.script.log-budget-test");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        long[] now = {0};
        List<Runnable> scheduled = new ArrayList<>();
        List<Long> delays = new ArrayList<>();
        OutputBudget budget = new OutputBudget(() -> now[0], (delayNanos, task) -> {
            delays.add(delayNanos);
            scheduled.add(task);
        }, logger);
        try (LogOutputStream stream = new LogOutputStream(logger, true, "", budget)) {
            for (int i = 0; i < OutputBudget.BURST_LINES + 5; i++) {
                stream.write(("line " + i + "\n").getBytes(StandardCharsets.UTF_8));
            }
            now[0] += 1_000_000_000L / OutputBudget.LINES_PER_SECOND;
            stream.write("after a refill\n".getBytes(StandardCharsets.UTF_8));
            stream.write("dropped as well\n".getBytes(StandardCharsets.UTF_8));
            int linesBeforeReport = appender.list.size();
            scheduled.forEach(Runnable::run);

            List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
            assertEquals(OutputBudget.BURST_LINES + 1, linesBeforeReport, "the kept lines, and no report yet");
            assertEquals("line " + (OutputBudget.BURST_LINES - 1), lines.get(OutputBudget.BURST_LINES - 1));
            assertEquals("after a refill", lines.get(OutputBudget.BURST_LINES));
            assertEquals(List.of(10_000_000_000L), delays, "one report, 10 s after the first drop");
            assertEquals("Dropped 6 lines of this script's output in the last 10 s: guest code may write at most 1000 lines"
                    + " a second to the log on each event loop, in bursts of up to 10000", lines.get(lines.size() - 1));
        } finally {
            logger.detachAppender(appender);
        }
    }
}
