package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A runaway loop in one object ends with an error within the CPU limit while other objects keep serving. */
class RunawayObjectTest {

    private static final Duration CPU_LIMIT = Duration.ofSeconds(1);

    @TempDir
    Path project;

    @TempDir
    Path data;

    @Test
    void busyLoopIsStoppedWhileOthersServe() throws Exception {
        TestHost.writeProject(project, Map.of(
                "wrangler.toml", """
                        name = "runaway"
                        main = "worker.js"
                        [durable_objects]
                        bindings = [ { name = "OBJ", class_name = "Looper" } ]
                        [[migrations]]
                        tag = "v1"
                        new_classes = ["Looper"]
                        """,
                "worker.js", """
                        export class Looper {
                          constructor(state) { this.hits = 0; }
                          async fetch(request) {
                            if (new URL(request.url).pathname === "/spin") { while (true) {} }
                            return new Response("alive " + ++this.hits);
                          }
                        }
                        """));
        try (TestHost host = TestHost.start(project, data, TestHost.Options.defaults().withCpuLimit(CPU_LIMIT))) {
            // Objects on one event loop share it, as workerd's objects share an isolate; pick one on another loop.
            String healthyName = "healthy";
            for (int i = 0; host.runtime().eventLoopOf("OBJ", healthyName).equals(host.runtime().eventLoopOf("OBJ", "runaway")); i++) {
                healthyName = "healthy" + i;
            }
            host.get("/OBJ/" + healthyName + "/ping");
            long started = System.nanoTime();
            CompletableFuture<HttpResponse<String>> spinning = host.client().sendAsync(
                    HttpRequest.newBuilder(host.uri("/OBJ/runaway/spin")).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());

            int answered = 0;
            while (!spinning.isDone()) {
                HttpResponse<String> healthy = host.get("/OBJ/" + healthyName + "/ping");
                assertEquals(200, healthy.statusCode());
                assertTrue(healthy.body().startsWith("alive "), healthy.body());
                answered++;
            }
            HttpResponse<String> stopped = spinning.get();
            long elapsedMillis = (System.nanoTime() - started) / 1_000_000;

            assertEquals(503, stopped.statusCode(), stopped.body());
            assertTrue(stopped.body().contains("exceeded its CPU time limit of 1000 ms"), stopped.body());
            assertTrue(elapsedMillis < CPU_LIMIT.toMillis() + 1_000, "stopped after " + elapsedMillis + " ms");
            assertTrue(answered > 0, "the healthy object should have answered while the other spun");
            assertEquals("alive 1", host.get("/OBJ/runaway/ping").body(), "the reset object starts afresh");
        }
    }
}
