package dev.mooring.sandbox;

import org.slf4j.Logger;

/**
 * How many lines of guest output one context may write to the host log: console calls and the
 * engine's own reports, such as unhandled promise rejections with their stacks. The budget contains
 * at most {@value #BURST_LINES} lines and refills at {@value #LINES_PER_SECOND} lines a second.
 * Lines past it are dropped and counted, and {@value #DROP_REPORT_INTERVAL_SECONDS} seconds after
 * the first drop one warning gives the count, so a script that logs in a loop can neither fill the
 * disk nor keep the event loop busy writing, and its operator still learns what was lost.
 *
 * <p>Thread-safe: the context's loop writes console lines, and the engine may report on other
 * threads.
 */
final class OutputBudget {

    /** Runs a task after a delay; the budget uses it to report dropped lines. */
    @FunctionalInterface
    interface Scheduler {
        void schedule(long delayNanos, Runnable task);
    }

    /** Lines a second that the budget refills. */
    static final int LINES_PER_SECOND = 1000;

    /** Lines the budget contains when full, so that a burst of output after a quiet time gets through. */
    static final int BURST_LINES = 10_000;

    /** Time from the first dropped line to the warning that counts the dropped lines. */
    static final int DROP_REPORT_INTERVAL_SECONDS = 10;

    private static final long NANOS_PER_LINE = 1_000_000_000L / LINES_PER_SECOND;
    private static final long DROP_REPORT_INTERVAL_NANOS = DROP_REPORT_INTERVAL_SECONDS * 1_000_000_000L;

    private final Ticker ticker;
    private final Scheduler scheduler;
    private final Logger log;
    private long availableLines = BURST_LINES;
    private long lastRefillNanos;
    private long droppedLines;
    private boolean reportScheduled;

    OutputBudget(Ticker ticker, Scheduler scheduler, Logger log) {
        this.ticker = ticker;
        this.scheduler = scheduler;
        this.log = log;
        this.lastRefillNanos = ticker.nanoTime();
    }

    /** Takes one line from the budget; returns false, and counts the line as dropped, when none is left. */
    synchronized boolean tryTakeLine() {
        refill();
        if (availableLines > 0) {
            availableLines--;
            return true;
        }
        droppedLines++;
        if (!reportScheduled) {
            reportScheduled = true;
            scheduler.schedule(DROP_REPORT_INTERVAL_NANOS, this::reportDropped);
        }
        return false;
    }

    /** Logs how many lines were dropped since the last report. */
    private synchronized void reportDropped() {
        reportScheduled = false;
        if (droppedLines > 0) {
            log.warn("Dropped {} lines of this script's output in the last {} s: guest code may write at most {} lines a"
                    + " second to the log on each event loop, in bursts of up to {}", droppedLines,
                    DROP_REPORT_INTERVAL_SECONDS, LINES_PER_SECOND, BURST_LINES);
            droppedLines = 0;
        }
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
