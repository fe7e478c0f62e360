package dev.mooring.sandbox;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.graalvm.polyglot.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops guest code that runs past its CPU budget.
 *
 * <p>Every entry into guest code on an event loop goes through {@link #run}, which records a
 * {@link GuestRun} (the context, and the loop thread's CPU time at which the budget runs out) on
 * the loop. A single watchdog thread polls the loops' thread CPU clocks; when a run passes its
 * deadline it marks the run exceeded and interrupts the context. The guest then sees an
 * uncatchable interruption at its next safepoint, the context stays usable, and the caller of
 * {@code run} gets a {@link CpuLimitExceededException}. If the interruption does not take
 * effect within {@link #HARD_STOP_AFTER} (guest code stuck in a host call, say), the watchdog
 * closes the context forcibly; it is then unusable and its owner must discard it.
 *
 * <p>The budget is CPU time of the loop thread: a guest that waits for I/O costs nothing. One
 * uninterrupted run of guest code is also stopped once its wall time passes what is left of the
 * budget, so that on an overloaded machine, where the loop thread gets less than a full CPU, a
 * runaway still ends on time. Detection lags by up to one poll interval.
 */
public final class CpuWatchdog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CpuWatchdog.class);

    /** How long an interruption may take before the context is closed forcibly. */
    static final Duration HARD_STOP_AFTER = Duration.ofSeconds(2);

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private final List<EventLoop> loops = new CopyOnWriteArrayList<>();
    private final long pollIntervalMillis;
    private final Thread thread;
    private volatile boolean running = true;

    /** One entry into guest code. Its fields are written by the loop thread before it is published. */
    static final class GuestRun {
        final Context context;
        final long deadlineCpuNanos;
        final long deadlineWallNanos;
        volatile boolean exceeded;

        GuestRun(Context context, long deadlineCpuNanos, long deadlineWallNanos) {
            this.context = context;
            this.deadlineCpuNanos = deadlineCpuNanos;
            this.deadlineWallNanos = deadlineWallNanos;
        }
    }

    /** Guest code that must run under a budget. */
    @FunctionalInterface
    public interface GuestCall<T> {
        T call();
    }

    /** @param pollIntervalMillis how often the loops' CPU clocks are read */
    public CpuWatchdog(long pollIntervalMillis) {
        if (!threads.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("This JVM cannot measure thread CPU time, which the CPU limit needs");
        }
        threads.setThreadCpuTimeEnabled(true);
        this.pollIntervalMillis = pollIntervalMillis;
        this.thread = Thread.ofPlatform().name("mooring-cpu-watchdog").daemon().start(this::poll);
    }

    /** Starts watching a loop. */
    public void watch(EventLoop loop) {
        loops.add(loop);
    }

    /** Stops watching a loop, for example once it has shut down. */
    public void unwatch(EventLoop loop) {
        loops.remove(loop);
    }

    /**
     * Runs guest code on the current loop, charging its CPU time to {@code account}.
     *
     * @throws CpuLimitExceededException when the account ran out during this call
     */
    public <T> T run(EventLoop loop, Context context, CpuAccount account, GuestCall<T> call) {
        long start = threads.getCurrentThreadCpuTime();
        GuestRun run = new GuestRun(context, start + account.remainingNanos(), System.nanoTime() + account.remainingNanos());
        GuestRun outer = loop.currentRun;
        loop.currentRun = run;
        try {
            T result = call.call();
            if (run.exceeded) {
                throw new CpuLimitExceededException(account.limitNanos());
            }
            return result;
        } catch (RuntimeException e) {
            if (run.exceeded) {
                throw new CpuLimitExceededException(account.limitNanos());
            }
            throw e;
        } finally {
            loop.currentRun = outer;
            account.charge(threads.getCurrentThreadCpuTime() - start);
        }
    }

    private void poll() {
        while (running) {
            try {
                Thread.sleep(pollIntervalMillis);
            } catch (InterruptedException e) {
                return;
            }
            for (EventLoop loop : loops) {
                GuestRun run = loop.currentRun;
                if (run == null || run.exceeded) {
                    continue;
                }
                long cpu = threads.getThreadCpuTime(loop.threadId());
                boolean overdue = cpu > run.deadlineCpuNanos || System.nanoTime() > run.deadlineWallNanos;
                if (overdue && loop.currentRun == run) {
                    run.exceeded = true;
                    // Interrupting blocks until the guest stops; other loops must stay watched meanwhile.
                    // A virtual thread does not work here: interrupts from one timed out in tests.
                    Thread.ofPlatform().daemon().name("mooring-cpu-stop-" + loop.name()).start(() -> stop(loop, run));
                }
            }
        }
    }

    private void stop(EventLoop loop, GuestRun run) {
        log.warn("Guest code on event loop {} exceeded its CPU time limit; interrupting it", loop.name());
        try {
            run.context.interrupt(HARD_STOP_AFTER);
        } catch (TimeoutException e) {
            if (loop.currentRun != run) {
                // The run did stop; the interrupt only waited for later guest code on the same context.
                return;
            }
            log.error("Guest code on event loop {} did not stop within {}; closing its context", loop.name(), HARD_STOP_AFTER);
            try {
                run.context.close(true);
            } catch (RuntimeException closeFailure) {
                log.warn("Closing the context on event loop {} failed", loop.name(), closeFailure);
            }
        } catch (RuntimeException e) {
            log.warn("Interrupting guest code on event loop {} failed", loop.name(), e);
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
