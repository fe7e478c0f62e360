package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.sandbox.EventLoop;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The warm-up drives its built-in script over both paths that scripts use: requests through the
 * Worker to objects, and WebSocket chat rooms on both WebSocket APIs. It leaves no event loop of
 * its own behind, and the host's own script still serves afterwards.
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
        try (TestHost host = TestHost.start(project, data)) {
            List<EventLoop> loopsBefore = host.services().loops();

            Warmup.Outcome outcome = Warmup.run(host.services(), Duration.ofSeconds(2));

            assertTrue(outcome.requests() > 0, "requests answered: " + outcome);
            assertTrue(outcome.chatMessages() > 0, "chat messages delivered: " + outcome);
            List<EventLoop> warmupLoops = host.services().loops().stream().filter(loop -> !loopsBefore.contains(loop)).toList();
            assertFalse(warmupLoops.isEmpty(), "the warm-up ran on loops of its own");
            assertTrue(warmupLoops.stream().allMatch(EventLoop::isTerminated), "the warm-up's event loops are stopped");
            assertEquals(0, host.services().webSocketDirectory().size(), "no warm-up WebSocket is left");
            assertEquals("still here", host.get("/").body());
        }
    }
}
