package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.host.http.HttpFrontend;
import dev.mooring.host.objects.ScriptRuntime;
import dev.mooring.sandbox.EventLoop;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm-up drives its built-in script over both paths that scripts use, through a listener of
 * its own: requests through the Worker to objects, and WebSocket chat rooms on both WebSocket
 * APIs. It leaves no event loop, thread or socket of its own behind, announces neither the start
 * nor the stop of its listener, names its script as built in wherever it logs it, and the host's
 * own script still serves afterwards.
 */
class WarmupTest {

    @TempDir
    Path project;

    @TempDir
    Path data;

    @Test
    void warmupRunsRequestsAndChatThenLeavesNothing() throws Exception {
        TestHost.writeProject(project, Map.of(
                "wrangler.toml", "name = \"plain\"\nmain = \"worker.js\"\n",
                "worker.js", "export default { async fetch() { return new Response('still here'); } };"));
        try (LogCapture startup = LogCapture.of("dev.mooring.host"); TestHost host = TestHost.start(project, data);
                LogCapture logs = LogCapture.of("dev.mooring.host")) {
            List<EventLoop> loopsBefore = host.services().loops();
            Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();

            Warmup.Outcome outcome = Warmup.run(host.services(), Duration.ofSeconds(2));

            assertTrue(outcome.requests() > 0, "requests answered: " + outcome);
            assertTrue(outcome.chatMessages() > 0, "chat messages delivered: " + outcome);
            assertFalse(logs.contains(HttpFrontend.class.getName(), "Listening"),
                    "the warm-up's listener is not announced: " + logs.lines());
            assertFalse(logs.contains(HttpFrontend.class.getName(), "Stopped listening"),
                    "the warm-up's listener closes without a line: " + logs.lines());
            String runtimeLogger = ScriptRuntime.class.getName();
            assertTrue(startup.contains(runtimeLogger, "Loaded script plain on "), "the user's script keeps its line: " + startup.lines());
            assertTrue(logs.contains(runtimeLogger, "Loaded the built-in warm-up script mooring-warmup on "),
                    "the warm-up's script is named as built in: " + logs.lines());
            assertFalse(logs.contains(runtimeLogger, "Loaded script mooring-warmup"),
                    "the warm-up's script is not named like a user's: " + logs.lines());
            assertTrue(logs.contains(Warmup.class.getName(), "with the built-in warm-up script mooring-warmup and a temporary store in "),
                    "the start line names the warm-up's script and store: " + logs.lines());
            List<EventLoop> warmupLoops = host.services().loops().stream().filter(loop -> !loopsBefore.contains(loop)).toList();
            assertFalse(warmupLoops.isEmpty(), "the warm-up ran on loops of its own");
            assertTrue(warmupLoops.stream().allMatch(EventLoop::isTerminated), "the warm-up's event loops are stopped");
            assertEquals(0, host.services().webSocketDirectory().size(), "no warm-up WebSocket is left");
            assertEquals(List.of(), threadsLeftBehind(threadsBefore), "threads the warm-up started and left running");
            assertEquals("still here", host.get("/").body());
        }
    }

    /**
     * Names the threads started since {@code before} that still run after a grace period, leaving
     * out the JVM's compiler threads, which the warm-up exists to keep busy, and the JVM's shared
     * fork-join pool, whose idle threads end on their own.
     */
    private static List<String> threadsLeftBehind(Set<Thread> before) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<String> left;
        do {
            left = Thread.getAllStackTraces().keySet().stream()
                    .filter(thread -> !before.contains(thread) && thread.isAlive())
                    .map(Thread::getName)
                    .filter(name -> !name.startsWith("TruffleCompilerThread") && !name.startsWith("JVMCI")
                            && !name.startsWith("ForkJoinPool.commonPool"))
                    .sorted()
                    .toList();
            if (left.isEmpty()) {
                return left;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        return left;
    }
}
