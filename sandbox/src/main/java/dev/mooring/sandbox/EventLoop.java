package dev.mooring.sandbox;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event-loop thread: a FIFO of tasks plus timers, run one at a time.
 *
 * <p>Guarantees: tasks submitted from one thread run in submission order; no two tasks of a loop
 * ever overlap; after every task the loop runs its after-task hooks, which is where owners end a
 * turn (for example by committing the storage writes the task made). A task that throws is
 * logged with an incident id and never stops the loop.
 *
 * <p>Threads: {@link #execute} and {@link #wakeUp} may be called from any thread. The timer queue,
 * the hooks and everything a task touches belong to the loop thread; {@link #schedule} and
 * {@link #addAfterTaskHook} must be called on it. GraalJS contexts are entered only by their own
 * loop's thread, which is what makes a context safe to use without locks.
 */
public final class EventLoop implements Executor, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EventLoop.class);

    /** Lifecycle: RUNNING → STOPPING (no new tasks; queued ones still run) → STOPPED. */
    private enum State { RUNNING, STOPPING, STOPPED }

    private final String name;
    private final Ticker ticker;
    /** The loop thread's operating system id, for {@link ThreadPriority}; set when the thread starts. */
    private volatile int nativeThreadId = ThreadPriority.UNKNOWN_THREAD;
    /** Maximum number of due timers that run in a row while a task waits in the queue. */
    static final int MAX_TIMERS_IN_A_ROW = 16;

    /** A task taken from the queue while a timer fell due; it runs next, after that timer. Loop thread only. */
    private Runnable heldTask;
    /** Number of due timers run in a row since the last task. Loop thread only. */
    private int timersInARow;
    private final Thread thread;
    /**
     * A lock-based queue, not a LinkedTransferQueue: that one spins before it parks, which on a
     * small machine takes CPU from the very threads that would fill it.
     */
    private final LinkedBlockingQueue<Runnable> tasks = new LinkedBlockingQueue<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private final List<Runnable> afterTaskHooks = new ArrayList<>();
    private volatile State state = State.RUNNING;
    private long timerSequence;
    private long tasksRun;

    /** Written by the loop thread while guest code runs; read by the CPU watchdog. */
    volatile CpuWatchdog.GuestRun currentRun;

    /**
     * Starts a loop thread.
     *
     * @param stackBytes stack size of the loop thread; deep guest recursion needs several MiB
     */
    public EventLoop(String name, long stackBytes, Ticker ticker) {
        this.name = name;
        this.ticker = ticker;
        this.thread = new Thread(null, this::run, name, stackBytes);
        thread.setDaemon(true);
        thread.start();
    }

    public String name() {
        return name;
    }

    public Ticker ticker() {
        return ticker;
    }

    int nativeThreadId() {
        return nativeThreadId;
    }

    long threadId() {
        return thread.threadId();
    }

    /** Returns true when called on this loop's thread. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Queues a task. Throws {@link RejectedExecutionException} once the loop is stopping. */
    @Override
    public void execute(Runnable task) {
        if (state != State.RUNNING) {
            throw new RejectedExecutionException("Event loop " + name + " is stopped");
        }
        tasks.add(task);
    }

    /** Makes the loop re-read the ticker, for example after a test moved a manual ticker. */
    public void wakeUp() {
        tasks.add(() -> {});
    }

    /** Runs {@code task} after {@code delayNanos} of the loop's ticker. Loop thread only. */
    public Timer schedule(long delayNanos, Runnable task) {
        assertInLoop();
        Timer timer = new Timer(ticker.nanoTime() + Math.max(0, delayNanos), timerSequence++, task);
        timers.add(timer);
        return timer;
    }

    /** Registers a hook that runs after every task. Loop thread only. */
    public void addAfterTaskHook(Runnable hook) {
        assertInLoop();
        afterTaskHooks.add(hook);
    }

    /** Removes a hook added with {@link #addAfterTaskHook}. Loop thread only. */
    public void removeAfterTaskHook(Runnable hook) {
        assertInLoop();
        afterTaskHooks.remove(hook);
    }

    private void assertInLoop() {
        if (!inLoop()) {
            throw new IllegalStateException("Must be called on event loop " + name + ", not on " + Thread.currentThread().getName());
        }
    }

    private void run() {
        nativeThreadId = ThreadPriority.currentThreadId();
        log.debug("Event loop {} started", name);
        while (true) {
            Runnable task = nextTask();
            if (task == null) {
                break;
            }
            runTask(task);
        }
        state = State.STOPPED;
        log.debug("Event loop {} stopped after {} tasks", name, tasksRun);
    }

    /**
     * Returns the next due timer or queued task, waiting as needed, or null once stopped and
     * drained. Due timers go first, but at most {@link #MAX_TIMERS_IN_A_ROW} of them run while a
     * task waits, so a timer that keeps rescheduling itself with no delay cannot starve the tasks.
     */
    private Runnable nextTask() {
        while (true) {
            Timer due = timersInARow < MAX_TIMERS_IN_A_ROW ? pollDueTimer() : null;
            if (due != null) {
                timersInARow++;
                return due.task;
            }
            Runnable task = heldTask != null ? heldTask : tasks.poll();
            heldTask = null;
            if (task != null) {
                timersInARow = 0;
                return task;
            }
            if (timersInARow > 0) {
                // No task is waiting, so the remaining due timers may run.
                timersInARow = 0;
                continue;
            }
            if (state != State.RUNNING) {
                return null;
            }
            try {
                Timer next = timers.peek();
                if (next == null) {
                    task = tasks.poll(1, TimeUnit.SECONDS);
                } else {
                    task = tasks.poll(Math.max(1, next.deadline - ticker.nanoTime()), TimeUnit.NANOSECONDS);
                }
            } catch (InterruptedException e) {
                // The loop is only interrupted on shutdown; the state check above ends it.
                continue;
            }
            if (task != null) {
                // A timer that fell due while the loop waited runs before the task that woke it.
                Timer fellDue = pollDueTimer();
                if (fellDue != null) {
                    heldTask = task;
                    return fellDue.task;
                }
                return task;
            }
        }
    }

    private Timer pollDueTimer() {
        while (true) {
            Timer next = timers.peek();
            if (next == null || next.deadline > ticker.nanoTime()) {
                return null;
            }
            timers.poll();
            if (!next.cancelled) {
                return next;
            }
        }
    }

    private void runTask(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            reportFault("task", t);
        }
        tasksRun++;
        for (int i = 0; i < afterTaskHooks.size(); i++) {
            try {
                afterTaskHooks.get(i).run();
            } catch (Throwable t) {
                reportFault("after-task hook", t);
            }
        }
    }

    private void reportFault(String what, Throwable t) {
        String incident = UUID.randomUUID().toString();
        log.error("Internal error in {} on event loop {}; incident {}", what, name, incident, t);
    }

    /** Stops taking tasks, runs what is queued, and waits up to {@code timeoutMillis} for the thread to end. */
    public void shutdown(long timeoutMillis) throws InterruptedException {
        if (state == State.RUNNING) {
            state = State.STOPPING;
            tasks.add(() -> {});
        }
        thread.join(timeoutMillis);
    }

    @Override
    public void close() {
        try {
            shutdown(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the loop thread has ended. */
    public boolean isTerminated() {
        return !thread.isAlive();
    }

    /** A scheduled task; cancel it to keep it from running. Loop-confined. */
    public static final class Timer implements Comparable<Timer> {
        private final long deadline;
        private final long sequence;
        private final Runnable task;
        private boolean cancelled;

        private Timer(long deadline, long sequence, Runnable task) {
            this.deadline = deadline;
            this.sequence = sequence;
            this.task = task;
        }

        public void cancel() {
            cancelled = true;
        }

        @Override
        public int compareTo(Timer other) {
            int byDeadline = Long.compare(deadline, other.deadline);
            return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
        }
    }
}
