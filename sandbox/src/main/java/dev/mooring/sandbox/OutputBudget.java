package dev.mooring.sandbox;

import org.slf4j.Logger;

/**
 * How many lines of guest output one context may write to the host log: console calls and the
 * engine's own reports, such as unhandled promise rejections with their stacks. The budget contains
 * at most {@value #BURST_LINES} lines and refills at {@value #LINES_PER_SECOND} lines a second.
 * Lines past it are dropped and counted. The next line that fits is preceded by one warning with
 * the count, at most once every {@value #DROP_REPORT_INTERVAL_SECONDS} seconds, so a script that
 * logs in a loop can neither fill the disk nor keep the event loop busy writing.
 *
 * <p>Thread-safe: the context's loop writes console lines, and the engine may report on other
 * threads.
 */
final class OutputBudget {

    /** Lines a second that the budget refills. */
    static final int LINES_PER_SECOND = 1000;

    /** Lines the budget contains when full, so that a burst of output after a quiet time gets through. */
    static final int BURST_LINES = 10_000;

    /** Minimum time between two warnings about dropped lines. */
    static final int DROP_REPORT_INTERVAL_SECONDS = 10;

    private static final long NANOS_PER_LINE = 1_000_000_000L / LINES_PER_SECOND;
    private static final long DROP_REPORT_INTERVAL_NANOS = DROP_REPORT_INTERVAL_SECONDS * 1_000_000_000L;

    private final Ticker ticker;
    private final Logger log;
    private long availableLines = BURST_LINES;
    private long lastRefillNanos;
    private long droppedLines;
    private long lastDropReportNanos;

    OutputBudget(Ticker ticker, Logger log) {
        this.ticker = ticker;
        this.log = log;
        this.lastRefillNanos = ticker.nanoTime();
        this.lastDropReportNanos = lastRefillNanos - DROP_REPORT_INTERVAL_NANOS;
    }

    /** Takes one line from the budget; returns false, and counts the line as dropped, when none is left. */
    synchronized boolean tryTakeLine() {
        refill();
        if (availableLines == 0) {
            droppedLines++;
            return false;
        }
        availableLines--;
        long now = ticker.nanoTime();
        if (droppedLines > 0 && now - lastDropReportNanos >= DROP_REPORT_INTERVAL_NANOS) {
            log.warn("Dropped {} lines of this script's output: guest code may write at most {} lines a second to the"
                    + " log, in bursts of up to {}", droppedLines, LINES_PER_SECOND, BURST_LINES);
            droppedLines = 0;
            lastDropReportNanos = now;
        }
        return true;
    }

    private void refill() {
        long now = ticker.nanoTime();
        long earned = (now - lastRefillNanos) / NANOS_PER_LINE;
        if (earned > 0) {
            availableLines = Math.min(BURST_LINES, availableLines + earned);
            lastRefillNanos += earned * NANOS_PER_LINE;
        }
    }
}
