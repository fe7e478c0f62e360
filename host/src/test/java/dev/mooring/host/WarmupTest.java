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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm-up drives its built-in script over both paths that scripts use, through a listener of
 * its own: requests through the Worker to objects, and WebSocket chat rooms on both WebSocket
 * APIs. It leaves no event loop, thread or socket of its own behind, and the host's own script
 * still serves afterwards. Its log announces neither the start nor the stop of its listener, names
 * its script as built in, and splits its time into traffic and compiler wait.
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
            assertEquals(0, outcome.failures(), "the warm-up script's failures: " + outcome);
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
            String warmupLogger = Warmup.class.getName();
            assertTrue(logs.contains(warmupLogger, "2s of traffic to the built-in warm-up script mooring-warmup with a temporary store in "),
                    "the start line names the traffic time, the warm-up's script and its store: " + logs.lines());
            assertTrue(logs.contains(warmupLogger, "then up to 20s more until the compiler is idle"),
                    "the start line names the compiler wait: " + logs.lines());
            Matcher done = doneLine(logs);
            long total = Long.parseLong(done.group(1));
            long traffic = Long.parseLong(done.group(2));
            long compilerWait = Long.parseLong(done.group(3));
            long quietPassMillis = Long.parseLong(done.group(4));
            assertTrue(traffic >= 2_000, "the traffic part lasts at least --warmup: " + done.group());
            assertTrue(traffic + compilerWait + quietPassMillis <= total, "the parts fit in the total: " + done.group());
            List<EventLoop> warmupLoops = host.services().loops().stream().filter(loop -> !loopsBefore.contains(loop)).toList();
            assertFalse(warmupLoops.isEmpty(), "the warm-up ran on loops of its own");
            assertTrue(warmupLoops.stream().allMatch(EventLoop::isTerminated), "the warm-up's event loops are stopped");
            assertEquals(0, host.services().webSocketDirectory().size(), "no warm-up WebSocket is left");
            assertEquals(List.of(), threadsLeftBehind(threadsBefore), "threads the warm-up started and left running");
            assertEquals("still here", host.get("/").body());
        }
    }

    /**
     * Finds the warm-up's done line, with the total, traffic, compiler wait and quiet passes in ms
     * as groups 1 to 4, and the number of quiet passes as group 5.
     */
    private static Matcher doneLine(LogCapture logs) {
        Pattern done = Pattern.compile("Warm-up done in (\\d+) ms \\(\\d+ requests? and \\d+ chat messages?\\):"
                + " (\\d+) ms loading and driving the warm-up script, then (\\d+) ms waiting for the JS compiler to go idle,"
                + " then (\\d+) ms in ([0-3]) quiet pass(es)?");
        for (String line : logs.lines()) {
            Matcher matcher = done.matcher(line);
            if (line.startsWith(Warmup.class.getName() + " ") && matcher.find()) {
                return matcher;
            }
        }
        throw new AssertionError("no warm-up done line in " + logs.lines());
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
