package dev.mooring.sandbox;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops guest code that runs past its CPU budget or allocates past its allocation budget.
 *
 * <p>Every entry into guest code on an event loop goes through {@link #run}, which records a
 * {@link GuestRun} on the loop: the context, the loop thread's CPU time at which the budget runs
 * out, and the value of the thread's allocation counter at which the allocation budget runs out.
 * A single watchdog thread polls the loops' thread CPU clocks and allocation counters. When a run
 * passes a deadline, the watchdog marks the run exceeded and interrupts the context. The guest then sees an
 * uncatchable interruption at its next safepoint, the context stays usable, and the caller of
 * {@code run} gets a {@link CpuLimitExceededException} or an {@link
 * AllocationLimitExceededException}. If the interruption does not take effect within {@link
 * #HARD_STOP_AFTER} (guest code stuck in a host call, say), the watchdog closes the context
 * forcibly; it is then unusable and its owner must discard it.
 *
 * <p>The CPU budget is CPU time of the loop thread: a guest that waits for I/O costs nothing. One
 * uninterrupted run of guest code is also stopped once its wall time passes what is left of the
 * budget, so that on an overloaded machine, where the loop thread gets less than a full CPU, a
 * runaway still ends on time. CPU detection lags by up to the CPU poll interval.
 *
 * <p>The allocation budget counts heap bytes the loop thread allocated during the event's runs,
 * garbage included, as HotSpot's per-thread allocation counter reports them (it is updated as
 * each allocation buffer fills, so it runs up to one buffer behind). It is a guard against
 * runaway allocation, not a cap on live memory: GraalJS community edition has no per-context heap
 * limit. Because a memory bomb can allocate over a GiB per second, allocation is polled every
 * {@link #ALLOCATION_POLL_MILLIS} ms, more often than CPU time; the overshoot is what the guest
 * allocates between the poll that sees the breach and the interruption taking effect. NOTE: the
 * interruption takes effect at the guest's next safepoint, so one built-in call that allocates a
 * lot at once (flattening a string built by repeated concatenation, say) can pass the limit by
 * what that call allocates; a test saw 1.5 GiB past a 64 MiB limit that way.
 *
 * <p>A run that has used {@link #DEMOTE_AFTER} of CPU time also has its loop thread moved to the
 * lowest scheduling priority until it ends (see {@link ThreadPriority}), so that a long event, runaway or
 * not, takes the CPU only when no short event of another script wants it. The loop thread
 * restores its own priority when the run ends; a run that has ended is never demoted.
 */
public final class CpuWatchdog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CpuWatchdog.class);

    /** How long an interruption may take before the context is closed forcibly. */
    static final Duration HARD_STOP_AFTER = Duration.ofSeconds(2);

    /**
     * How often the allocation counters are read while guest code runs. Measured with a loop that
     * pushes 8 MiB arrays (see the allocation tests): polling every 2 ms kept the overshoot to tens
     * of MiB, while each poll costs one counter read per loop.
     */
    static final long ALLOCATION_POLL_MILLIS = 2;

    /**
     * CPU time one run of guest code may use at normal priority. It is CPU time, not wall time: a
     * loop thread that waits behind the JS compiler at startup is not demoted for that. Compiled
     * callbacks of the sample apps take well under a millisecond (an estimate from their end-to-end
     * latency). An interpreted first run of a script may pass it, and is then slowed only while
     * other threads want the CPU.
     */
    static final Duration DEMOTE_AFTER = Duration.ofMillis(50);

    private static final Source NO_CODE = Source.newBuilder("js", "undefined", "mooring:sandbox/enter.js").cached(true).buildLiteral();

    private final com.sun.management.ThreadMXBean threads;
    private final List<EventLoop> loops = new CopyOnWriteArrayList<>();
    private final long cpuPollNanos;
    private final ThreadPriority priority;
    private final Thread thread;
    private volatile boolean running = true;

    /** Why a run was stopped: the budget it exceeded, or the host's request. */
    enum Breach {
        CPU,
        ALLOCATION,
        /** {@link #stopRunningCode} stopped it, for the reason in {@link GuestRun#stopReason}. */
        STOPPED
    }

    /**
     * One entry into guest code. Its final fields are written by the loop thread before it is
     * published. {@code ended} and {@code stopping} are guarded by the run's monitor: a stop
     * interrupts the context only while the run has not ended, and the loop waits for a stop that
     * began before it starts other guest code, so an interruption never reaches a later run.
     */
    static final class GuestRun {
        final Context context;
        final long deadlineCpuNanos;
        final long deadlineWallNanos;
        /** The loop thread's allocation counter value past which the run is stopped; Long.MAX_VALUE for never. */
        final long deadlineAllocatedBytes;
        final long startedNanos = System.nanoTime();
        /** The loop thread's CPU time when the run began. */
        final long startCpuNanos;
        volatile Breach exceeded;
        /** Set before {@link #exceeded} becomes {@link Breach#STOPPED}. */
        volatile String stopReason;
        private boolean ended;
        /** Whether the watchdog lowered the loop thread's priority during this run. */
        private boolean demoted;
        /** Whether this run was demoted or tried; set before the run is published, or later by the watchdog thread. */
        boolean demotionTried;
        private CountDownLatch stopping;

        GuestRun(Context context, long startCpuNanos, long deadlineCpuNanos, long deadlineWallNanos, long deadlineAllocatedBytes) {
            this.context = context;
            this.startCpuNanos = startCpuNanos;
            this.deadlineCpuNanos = deadlineCpuNanos;
            this.deadlineWallNanos = deadlineWallNanos;
            this.deadlineAllocatedBytes = deadlineAllocatedBytes;
        }
    }

    /** Guest code that must run under a budget. */
    @FunctionalInterface
    public interface GuestCall<T> {
        T call();
    }

    /**
     * @param cpuPollIntervalMillis how often the loops' CPU clocks are read; allocation counters are
     *     read every {@link #ALLOCATION_POLL_MILLIS} ms regardless
     */
    public CpuWatchdog(long cpuPollIntervalMillis) {
        this(cpuPollIntervalMillis, ThreadPriority.NONE);
    }

    /**
     * @param cpuPollIntervalMillis how often the loops' CPU clocks are read
     * @param priority lowers the priority of loop threads whose guest code runs long
     */
    public CpuWatchdog(long cpuPollIntervalMillis, ThreadPriority priority) {
        this.priority = priority;
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean extended)) {
            throw new IllegalStateException("This JVM has no com.sun.management.ThreadMXBean, which the allocation limit needs");
        }
        this.threads = extended;
        if (!threads.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("This JVM cannot measure thread CPU time, which the CPU limit needs");
        }
        if (!threads.isThreadAllocatedMemorySupported()) {
            throw new IllegalStateException("This JVM cannot measure the bytes a thread allocates, which the allocation limit needs");
        }
        threads.setThreadCpuTimeEnabled(true);
        threads.setThreadAllocatedMemoryEnabled(true);
        this.cpuPollNanos = Duration.ofMillis(cpuPollIntervalMillis).toNanos();
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
     * Runs guest code on the current loop, charging its CPU time and allocated bytes to {@code account}.
     *
     * @throws CpuLimitExceededException when the account's CPU time ran out during this call
     * @throws AllocationLimitExceededException when the account's allocation budget ran out during this call
     */
    public <T> T run(EventLoop loop, Context context, EventAccount account, GuestCall<T> call) {
        long startCpu = threads.getCurrentThreadCpuTime();
        long startAllocated = threads.getCurrentThreadAllocatedBytes();
        long remainingAllocation = account.remainingAllocationBytes();
        long allocationDeadline = remainingAllocation == EventAccount.UNLIMITED_ALLOCATION
                ? Long.MAX_VALUE
                : startAllocated + Math.max(0, remainingAllocation);
        GuestRun run = new GuestRun(context, startCpu, startCpu + account.remainingCpuNanos(),
                System.nanoTime() + account.remainingCpuNanos(), allocationDeadline);
        GuestRun outer = loop.currentRun;
        if (outer == null && account.demotedFromStart()) {
            demoteCurrent(run);
        }
        loop.currentRun = run;
        T result = null;
        RuntimeException failure = null;
        try {
            result = call.call();
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            loop.currentRun = outer;
            account.charge(threads.getCurrentThreadCpuTime() - startCpu, threads.getCurrentThreadAllocatedBytes() - startAllocated);
            awaitStop(run, outer == null);
            restorePriority(run);
        }
        Breach breach = run.exceeded;
        if (breach == Breach.CPU) {
            throw new CpuLimitExceededException(account.cpuLimitNanos());
        }
        if (breach == Breach.ALLOCATION) {
            throw new AllocationLimitExceededException(account.allocationLimitBytes(), account.allocatedBytes());
        }
        if (breach == Breach.STOPPED) {
            throw new GuestCodeStoppedException(run.stopReason);
        }
        if (failure != null) {
            throw failure;
        }
        return result;
    }

    /**
     * Ends a run and, if a stop of it has begun, waits until its interruption returned, so that it
     * cannot hit the guest code that runs next. An interruption that reaches the thread just as
     * the run returns stays pending until the thread enters the context again, and the stop waits
     * for it. So while waiting, the loop enters the context with no code, which lets the pending
     * interruption take effect without harm. A nested run does not wait: its thread is still inside
     * the context, and the outermost run finishes the wait.
     */
    private static void awaitStop(GuestRun run, boolean outermost) {
        CountDownLatch stopping;
        synchronized (run) {
            run.ended = true;
            stopping = run.stopping;
        }
        if (stopping == null || !outermost) {
            return;
        }
        long deadline = System.nanoTime() + HARD_STOP_AFTER.toNanos() + TimeUnit.SECONDS.toNanos(1);
        try {
            while (!stopping.await(1, TimeUnit.MILLISECONDS)) {
                enterIdle(run.context);
                if (System.nanoTime() - deadline > 0) {
                    log.warn("The stop of an ended guest run took longer than {}; continuing", HARD_STOP_AFTER);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void restorePriority(GuestRun run) {
        boolean demoted;
        synchronized (run) {
            demoted = run.demoted;
        }
        if (demoted) {
            priority.restoreCurrentThread();
        }
    }

    /** Lowers the calling loop thread's priority for a run that has not begun. */
    private void demoteCurrent(GuestRun run) {
        run.demotionTried = true;
        synchronized (run) {
            run.demoted = priority.demoteCurrentThread();
        }
    }

    /** Lowers the loop thread's priority while {@code run} goes on, unless it has ended. */
    private void demote(EventLoop loop, GuestRun run) {
        synchronized (run) {
            if (!run.ended && !run.demoted) {
                run.demoted = priority.demote(loop.nativeThreadId());
                if (run.demoted) {
                    log.debug("Guest code on event loop {} has used over {} ms of CPU; lowered the loop's priority until it ends",
                            loop.name(), DEMOTE_AFTER.toMillis());
                }
            }
        }
    }

    private static void enterIdle(Context context) {
        try {
            context.eval(NO_CODE);
        } catch (PolyglotException e) {
            // The pending interruption (or the cancellation of a closed context) surfaces here, as intended.
            log.trace("Entering the context to take a pending interruption: {}", e.getMessage());
        } catch (IllegalStateException e) {
            // The context is closed; nothing is pending any more.
            log.trace("Context closed while waiting for a stop: {}", e.getMessage());
        }
    }

    private void poll() {
        boolean demoting = priority.available();
        long demoteAfterNanos = DEMOTE_AFTER.toNanos();
        long nextCpuCheck = System.nanoTime() + cpuPollNanos;
        while (running) {
            try {
                Thread.sleep(ALLOCATION_POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            boolean checkCpu = now - nextCpuCheck >= 0;
            if (checkCpu) {
                nextCpuCheck = now + cpuPollNanos;
            }
            for (EventLoop loop : loops) {
                GuestRun run = loop.currentRun;
                if (run == null || run.exceeded != null) {
                    continue;
                }
                // Wall time first, so that short runs cost no CPU clock read.
                if (demoting && !run.demotionTried && now - run.startedNanos > demoteAfterNanos
                        && threads.getThreadCpuTime(loop.threadId()) - run.startCpuNanos > demoteAfterNanos) {
                    run.demotionTried = true;
                    demote(loop, run);
                }
                Breach breach = breachOf(loop, run, checkCpu);
                if (breach != null && loop.currentRun == run) {
                    run.exceeded = breach;
                    // Interrupting blocks until the guest stops; other loops must stay watched meanwhile.
                    // A virtual thread does not work here: interrupts from one timed out in tests.
                    Thread.ofPlatform().daemon().name("mooring-cpu-stop-" + loop.name()).start(() -> stop(loop, run, breach));
                }
            }
        }
    }

    /** Returns the budget {@code run} has exceeded, or null. */
    private Breach breachOf(EventLoop loop, GuestRun run, boolean checkCpu) {
        if (run.deadlineAllocatedBytes != Long.MAX_VALUE
                && threads.getThreadAllocatedBytes(loop.threadId()) > run.deadlineAllocatedBytes) {
            return Breach.ALLOCATION;
        }
        if (checkCpu && (threads.getThreadCpuTime(loop.threadId()) > run.deadlineCpuNanos
                || System.nanoTime() > run.deadlineWallNanos)) {
            return Breach.CPU;
        }
        return null;
    }

    /**
     * Stops the guest code that runs in {@code context} on {@code loop} now, so that work queued
     * behind it can run. Its caller sees a {@link GuestCodeStoppedException} with {@code reason}.
     * Code of any other context on the loop is left alone. Blocks until the code has stopped, and
     * returns whether there was such code. Any thread but the loop's.
     */
    public boolean stopRunningCode(EventLoop loop, Context context, String reason) {
        GuestRun run = loop.currentRun;
        if (run == null || run.context != context || run.exceeded != null) {
            return false;
        }
        run.stopReason = reason;
        run.exceeded = Breach.STOPPED;
        stop(loop, run, Breach.STOPPED);
        return true;
    }

    private void stop(EventLoop loop, GuestRun run, Breach breach) {
        CountDownLatch done = new CountDownLatch(1);
        synchronized (run) {
            if (run.ended) {
                // The run returned by itself; CpuWatchdog.run reports the breach.
                return;
            }
            run.stopping = done;
        }
        try {
            interrupt(loop, run, breach);
        } finally {
            done.countDown();
        }
    }

    private void interrupt(EventLoop loop, GuestRun run, Breach breach) {
        // The owner logs the breach with its script and object; this line only helps to trace the stop itself.
        log.debug("Interrupting guest code on event loop {}: {}", loop.name(),
                breach == Breach.STOPPED ? run.stopReason : "it exceeded its " + breach + " budget");
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
