package dev.mooring.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The order in which one event loop runs its due timers and queued tasks, and the bound that keeps
 * timers from starving tasks. Time is a hand-moved ticker, so a timer scheduled with no delay is
 * due at once and stays due until the loop runs it.
 */
class EventLoopOrderTest {

    private final AtomicLong now = new AtomicLong();
    private final EventLoop loop = new EventLoop("order-test-loop", 1 << 20, now::get);
    private final List<String> ran = Collections.synchronizedList(new ArrayList<>());
    private final Semaphore recorded = new Semaphore(0);

    @AfterEach
    void stopLoop() throws InterruptedException {
        loop.shutdown(10_000);
        assertTrue(loop.isTerminated(), "the loop thread outlived the test");
    }

    @Test
    void tasksRunInSubmissionOrder() throws Exception {
        CountDownLatch release = holdLoop();
        for (int i = 0; i < 5; i++) {
            loop.execute(record("task-" + i));
        }

        release.countDown();
        awaitRan(5);

        assertEquals(List.of("task-0", "task-1", "task-2", "task-3", "task-4"), ran);
    }

    @Test
    void dueTimerRunsBeforeQueuedTask() throws Exception {
        LoopFixture.onLoop(loop, () -> loop.schedule(1_000, record("timer")));
        CountDownLatch release = holdLoop();
        loop.execute(record("task"));
        now.addAndGet(1_000);

        release.countDown();
        awaitRan(2);

        assertEquals(List.of("timer", "task"), ran);
    }

    @Test
    void taskWaitsBehindBoundedDueTimers() throws Exception {
        int timers = EventLoop.MAX_TIMERS_IN_A_ROW * 3;
        LoopFixture.onLoop(loop, () -> {
            for (int i = 0; i < timers; i++) {
                loop.schedule(1_000, record("timer-" + i));
            }
            return null;
        });
        CountDownLatch release = holdLoop();
        loop.execute(record("task"));
        now.addAndGet(1_000);

        release.countDown();
        awaitRan(timers + 1);

        assertEquals(EventLoop.MAX_TIMERS_IN_A_ROW, ran.indexOf("task"),
                "the task should run right after the bound of due timers: " + ran);
        assertEquals("timer-" + (timers - 1), ran.get(timers), "the remaining timers run after the task");
    }

    @Test
    void tasksRunBetweenZeroDelayTimers() throws Exception {
        AtomicBoolean spinning = new AtomicBoolean(true);
        AtomicLong ticks = new AtomicLong();
        loop.execute(() -> rescheduleForever(spinning, ticks));
        CountDownLatch taskRan = new CountDownLatch(1);

        loop.execute(taskRan::countDown);

        assertTrue(taskRan.await(10, TimeUnit.SECONDS), "a task starved behind a zero-delay timer chain");
        long before = ticks.get();
        assertEquals(Boolean.TRUE, LoopFixture.onLoop(loop, () -> true), "a second task starved as well");
        assertTrue(ticks.get() > before, "the timer chain should still be running");
        spinning.set(false);
    }

    private void rescheduleForever(AtomicBoolean spinning, AtomicLong ticks) {
        ticks.incrementAndGet();
        if (spinning.get()) {
            loop.schedule(0, () -> rescheduleForever(spinning, ticks));
        }
    }

    /** Blocks the loop thread until the returned latch opens, so that work queues up behind it. */
    private CountDownLatch holdLoop() throws InterruptedException {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        loop.execute(() -> {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertTrue(holding.await(10, TimeUnit.SECONDS), "the loop did not pick up the holding task");
        return release;
    }

    private Runnable record(String name) {
        return () -> {
            ran.add(name);
            recorded.release();
        };
    }

    private void awaitRan(int count) throws InterruptedException {
        assertTrue(recorded.tryAcquire(count, 10, TimeUnit.SECONDS), "tasks that ran: " + ran);
    }
}
