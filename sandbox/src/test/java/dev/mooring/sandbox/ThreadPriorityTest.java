package dev.mooring.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A long run of guest code moves its loop thread into the idle scheduling class, where it yields
 * the CPU to every other thread, and the thread is back in the normal class once the run ends.
 * An account of a penalized object starts its runs demoted, and detection logs that demotion is
 * on. The policy is read from /proc. Where the process may not restore a thread's policy (no
 * CAP_SYS_NICE), demotion is off and the tests are skipped; CI runs as root.
 */
class ThreadPriorityTest {

    private static final int SCHED_OTHER = 0;
    private static final int SCHED_IDLE = 5;

    @Test
    void detectLogsThatDemotionIsOn() {
        Logger logger = (Logger) LoggerFactory.getLogger(ThreadPriority.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        ThreadPriority priority;
        try {
            priority = ThreadPriority.detect();
        } finally {
            logger.detachAppender(appender);
        }
        assumeTrue(priority.available(), "this process may not move a thread back to the normal scheduling class");

        List<String> lines = appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(List.of("Long guest events lose their thread priority: a run of guest code past 50 ms of CPU time"
                + " moves its event-loop thread to the SCHED_IDLE scheduling class until the run ends"), lines);
    }

    @Test
    void longGuestRunIsDemotedUntilItEnds() throws Exception {
        ThreadPriority priority = ThreadPriority.detect();
        assumeTrue(priority.available(), "this process may not move a thread back to the normal scheduling class");
        try (LoopFixture fixture = new LoopFixture(1, priority)) {
            ScriptContext context = fixture.load(Map.of("worker.js",
                    "export function burn(ms) { const end = Date.now() + ms; while (Date.now() < end) {} }"));
            int thread = fixture.onLoop(() -> fixture.loop().nativeThreadId());
            TestOwner owner = new TestOwner();

            fixture.onLoop(() -> context.call(owner, () -> context.exports().getMember("burn").execute(10)));
            assertEquals(SCHED_OTHER, policyOf(thread), "a short run keeps the normal class");

            CompletableFuture<Object> burning = CompletableFuture.supplyAsync(() -> {
                try {
                    return fixture.onLoop(() -> context.call(owner, () -> context.exports().getMember("burn").execute(2_000)));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            int seen = SCHED_OTHER;
            while (seen != SCHED_IDLE && !burning.isDone()) {
                seen = policyOf(thread);
            }
            assertEquals(SCHED_IDLE, seen, "the loop thread was demoted while the run went on");

            burning.get(30, TimeUnit.SECONDS);
            assertEquals(SCHED_OTHER, policyOf(thread), "the loop thread is back in the normal class after the run");
        }
    }

    @Test
    void penalizedAccountStartsDemoted() throws Exception {
        ThreadPriority priority = ThreadPriority.detect();
        assumeTrue(priority.available(), "this process may not move a thread back to the normal scheduling class");
        try (LoopFixture fixture = new LoopFixture(1, priority)) {
            ScriptContext context = fixture.load(Map.of("worker.js", "export const ready = true;"));
            int thread = fixture.onLoop(() -> fixture.loop().nativeThreadId());
            EventAccount penalized = new EventAccount(5_000_000_000L);
            penalized.demoteFromStart();

            int during = fixture.onLoop(() -> fixture.watchdog.run(fixture.loop(), context.polyglotContext(), penalized,
                    () -> policyOf(thread)));
            int normal = fixture.onLoop(() -> fixture.watchdog.run(fixture.loop(), context.polyglotContext(),
                    new EventAccount(5_000_000_000L), () -> policyOf(thread)));

            assertEquals(SCHED_IDLE, during, "a penalized account's run starts demoted");
            assertEquals(SCHED_OTHER, normal, "the next run of another account is back in the normal class");
            assertEquals(SCHED_OTHER, policyOf(thread), "the loop thread is back in the normal class between runs");
        }
    }

    /** Returns the scheduling policy of one of this process's threads: field 41 of its stat file. */
    private static int policyOf(int thread) {
        String stat;
        try {
            stat = Files.readString(Path.of("/proc/self/task/" + thread + "/stat"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Integer.parseInt(fields[41 - 3]);
    }
}
