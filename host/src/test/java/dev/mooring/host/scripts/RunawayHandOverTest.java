package dev.mooring.host.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.host.LogCapture;
import dev.mooring.host.ManualTicker;
import dev.mooring.sandbox.Ticker;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A deploy replaces a version whose guest code never yields. Versions share the script's event
 * loops, so such code would hold up the new version until the CPU limit. Instead, it is stopped
 * when the grace period ends. Its event fails with a reset that gives the reason, and the object's
 * next request runs the new version. The CPU limit is 60 s and the grace period 1 s, so a test that waited for
 * the CPU limit would run into its own 20 s bounds.
 */
class RunawayHandOverTest {

    private static final Duration CPU_LIMIT = Duration.ofSeconds(60);
    private static final Duration GRACE = Duration.ofSeconds(1);
    private static final String MIGRATIONS = "{\"new_tag\": \"v1\", \"new_classes\": [\"Spinner\"]}";

    @TempDir
    Path data;

    private static String spinner(String version) {
        return """
                export class Spinner {
                  async fetch(request) {
                    const path = new URL(request.url).pathname;
                    if (path === "/spin") { console.log("spinning now"); for (;;) {} }
                    if (path === "/spin-later") {
                      console.log("waiting to spin");
                      await new Promise(resolve => setTimeout(resolve, 500));
                      console.log("spinning now");
                      for (;;) {}
                    }
                    return new Response("idle VERSION");
                  }
                }
                """.replace("VERSION", version);
    }

    @Test
    void loadStopsSpinningOldCode() throws Exception {
        try (LogCapture log = LogCapture.of("mooring.script");
                ServeHarness host = ServeHarness.start(data, 1, CPU_LIMIT, GRACE, Ticker.SYSTEM)) {
            deploy(host, "1", MIGRATIONS);
            CompletableFuture<HttpResponse<String>> spinning = sendAsync(host, "/SPIN/b/spin");
            awaitLogLine(log, "spinning now");

            CompletableFuture<ScriptRegistry.Deployed> second = CompletableFuture.supplyAsync(() -> deploy(host, "2", null));

            assertEquals(2, second.get(20, TimeUnit.SECONDS).version());
            HttpResponse<String> stopped = spinning.get(20, TimeUnit.SECONDS);
            assertEquals(503, stopped.statusCode(), stopped.body());
            assertEquals("Error: " + ScriptRegistry.LOAD_WAITED + "\n", stopped.body());
            assertEquals("idle 2", host.get("spinning", "/SPIN/b/").body());
        }
    }

    @Test
    void handOverStopsSpinningOldCode() throws Exception {
        ManualTicker ticker = new ManualTicker();
        try (LogCapture log = LogCapture.of("mooring.script");
                ServeHarness host = ServeHarness.start(data, 1, CPU_LIMIT, GRACE, ticker)) {
            deploy(host, "1", MIGRATIONS);
            CompletableFuture<HttpResponse<String>> spinning = sendAsync(host, "/SPIN/b/spin-later");
            awaitLogLine(log, "waiting to spin");
            deploy(host, "2", null);

            // Fires the old instance's timer, half way to the grace period's reset on the loops' clock.
            ticker.advance(Duration.ofMillis(500));
            awaitLogLine(log, "spinning now");

            HttpResponse<String> stopped = spinning.get(20, TimeUnit.SECONDS);
            assertEquals(503, stopped.statusCode(), stopped.body());
            assertEquals("Error: " + ScriptRegistry.CODE_UPDATED + "\n", stopped.body());
            assertEquals("idle 2", host.get("spinning", "/SPIN/b/").body());
        }
    }

    private static ScriptRegistry.Deployed deploy(ServeHarness host, String version, String migrations) {
        try {
            return host.registry().deploy(Uploads.parse("spinning", Uploads.body(spinner(version), "SPIN", "Spinner",
                    migrations)));
        } catch (Exception e) {
            throw new AssertionError("deploying version " + version + " failed", e);
        }
    }

    private static CompletableFuture<HttpResponse<String>> sendAsync(ServeHarness host, String path) {
        return host.client().sendAsync(HttpRequest.newBuilder(host.scriptUri("spinning", path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitLogLine(LogCapture log, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!log.contains("mooring.script.spinning", text)) {
            assertTrue(System.nanoTime() < deadline, "the script never logged '" + text + "': " + log.lines());
            Thread.sleep(10);
        }
    }
}
