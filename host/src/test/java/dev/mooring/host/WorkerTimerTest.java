package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Worker invocation's timers do not outlive it: they run for at most 30 s after its response,
 * like workerd's waitUntil() tasks, and are cancelled then. Time is a manual ticker, and the host
 * has one event loop, so every request runs against the same module state and due timers run before the
 * next request.
 */
class WorkerTimerTest {

    @TempDir
    Path project;

    @TempDir
    Path data;

    @Test
    void intervalStopsThirtySecondsAfterResponse() throws Exception {
        TestHost.writeProject(project, Map.of(
                "wrangler.toml", "name = \"timers\"\nmain = \"worker.js\"\n",
                "worker.js", """
                        let ticks = 0;
                        export default {
                          async fetch(request) {
                            if (new URL(request.url).pathname === "/start") {
                              setInterval(() => { ticks++; }, 1000);
                              return new Response("started");
                            }
                            return new Response(String(ticks));
                          }
                        };
                        """));
        ManualTicker ticker = new ManualTicker();
        try (TestHost host = TestHost.start(project, data, TestHost.Options.defaults().withEventLoops(1).withTicker(ticker))) {
            assertEquals("started", host.get("/start").body());

            ticker.advance(Duration.ofMillis(1_500));
            assertEquals("1", host.get("/ticks").body(), "the interval runs while the invocation may still work");

            // Due now: the interval at 2 s, then the end of the 30 s after the response.
            ticker.advance(Duration.ofSeconds(30));
            assertEquals("2", host.get("/ticks").body());

            ticker.advance(Duration.ofSeconds(5));
            assertEquals("2", host.get("/ticks").body(), "the interval was cancelled 30 s after the response");
        }
    }
}
