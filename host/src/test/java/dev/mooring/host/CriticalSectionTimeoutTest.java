package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code blockConcurrencyWhile()} callback whose promise never settles keeps the object's input
 * gate closed for 30 s, then the object is reset with workerd's error, and the requests it held
 * fail. Time is a manual ticker, and the host has one event loop, so a request to another object
 * runs after the loop has looked at its due timers.
 */
class CriticalSectionTimeoutTest {

    private static final String CONFIG = TestHost.configWithClass("gates", "GATE", "Gate");

    private static final String WORKER = """
            export class Gate {
              constructor(state) { this.state = state; this.count = 0; }
              async fetch(request) {
                const path = new URL(request.url).pathname;
                if (path === "/hold") {
                  this.state.blockConcurrencyWhile(() => new Promise(() => {}));
                  return new Response("holding");
                }
                if (path === "/brief") {
                  await this.state.blockConcurrencyWhile(() => Promise.resolve());
                  return new Response("brief");
                }
                this.count++;
                return new Response(String(this.count));
              }
            }
            """;

    private static final String TIMED_OUT = "A call to blockConcurrencyWhile() in a Durable Object waited for too long."
            + " The call was canceled and the Durable Object was reset.";

    /** One event loop, and no idle eviction within the test's ticker time, so that a new instance means a reset. */
    private static final TestHost.Options OPTIONS = TestHost.Options.defaults().withEventLoops(1).withIdleTimeout(Duration.ofHours(1));

    @TempDir
    Path project;

    @TempDir
    Path data;

    private final ManualTicker ticker = new ManualTicker();

    @BeforeEach
    void writeProject() throws Exception {
        TestHost.writeProject(project, Map.of("wrangler.toml", CONFIG, "worker.js", WORKER));
    }

    @Test
    void unsettledSectionResetsAfterThirtySeconds() throws Exception {
        try (TestHost host = TestHost.start(project, data, OPTIONS.withTicker(ticker))) {
            assertEquals("1", host.get("/GATE/a/count").body());
            assertEquals("holding", host.get("/GATE/a/hold").body());
            CompletableFuture<HttpResponse<String>> waiting = host.client().sendAsync(
                    HttpRequest.newBuilder(host.uri("/GATE/a/count")).build(), HttpResponse.BodyHandlers.ofString());
            awaitWaitingRequest(host);

            ticker.advance(Duration.ofSeconds(29));
            assertEquals("1", host.get("/GATE/b/count").body());
            assertFalse(waiting.isDone(), "the request waits while the critical section is open");

            ticker.advance(Duration.ofSeconds(1));
            assertEquals("2", host.get("/GATE/b/count").body());
            HttpResponse<String> failed = waiting.get(30, TimeUnit.SECONDS);
            assertTrue(failed.statusCode() >= 500, "status " + failed.statusCode());
            assertTrue(failed.body().contains(TIMED_OUT), failed.body());

            assertEquals("1", host.get("/GATE/a/count").body(), "a new instance serves the object after the reset");
        }
    }

    /** Waits until the request sent last waits for object a, so that it is queued before time moves. */
    private static void awaitWaitingRequest(TestHost host) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (host.runtime().requestsWaitingFor("GATE", "a") == 0) {
            assertTrue(System.nanoTime() < deadline, "the request never reached object a");
            Thread.sleep(5);
        }
    }

    @Test
    void settledSectionCancelsItsTimeout() throws Exception {
        try (TestHost host = TestHost.start(project, data, OPTIONS.withTicker(ticker))) {
            assertEquals("1", host.get("/GATE/a/count").body());
            assertEquals("brief", host.get("/GATE/a/brief").body());

            ticker.advance(Duration.ofSeconds(31));
            assertEquals("1", host.get("/GATE/b/count").body());

            assertEquals("2", host.get("/GATE/a/count").body(), "the instance was kept");
        }
    }
}
