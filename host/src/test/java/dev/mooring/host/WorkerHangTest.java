package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Worker request whose promise can no longer settle, because nothing it waits for is pending,
 * fails at once with workerd's error instead of keeping the client waiting. A request that still
 * waits for a timer or a stub call is left alone.
 */
class WorkerHangTest {

    private static final String CONFIG = TestHost.configWithClass("hangs", "SLOW", "Slow");

    private static final String WORKER = """
            export class Slow {
              async fetch(request) {
                await new Promise((resolve) => setTimeout(resolve, 50));
                return new Response("slow object");
              }
            }

            export default {
              async fetch(request, env) {
                switch (new URL(request.url).pathname) {
                  case "/never":
                    return new Promise(() => {});
                  case "/never-after-timer":
                    await new Promise((resolve) => setTimeout(resolve, 20));
                    return new Promise(() => {});
                  case "/timer":
                    await new Promise((resolve) => setTimeout(resolve, 20));
                    return new Response("after a timer");
                  case "/stub":
                    return env.SLOW.get(env.SLOW.idFromName("a")).fetch(request);
                  default:
                    return new Response("not found", { status: 404 });
                }
              }
            };
            """;

    @TempDir
    Path project;

    @TempDir
    Path data;

    @BeforeEach
    void writeProject() throws Exception {
        TestHost.writeProject(project, Map.of("wrangler.toml", CONFIG, "worker.js", WORKER));
    }

    @Test
    void unsettledPromiseFailsAtOnce() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            assertHung(host.get("/never"));
            assertHung(host.get("/never-after-timer"));
        }
    }

    @Test
    void pendingTimerOrStubCallIsNotHung() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            assertEquals("after a timer", host.get("/timer").body());
            assertEquals("slow object", host.get("/stub").body());
        }
    }

    private static void assertHung(HttpResponse<String> response) {
        assertEquals(500, response.statusCode(), response.body());
        assertTrue(response.body().contains("detected that your Worker's code had hung and would never generate a response"),
                response.body());
    }
}
