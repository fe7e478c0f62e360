package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stub {@code fetch()} with an AbortSignal, on a real host: an aborted signal keeps the request
 * from reaching the object, and aborting a call under way rejects the caller's promise with the
 * reason while the object's handler still runs to its end.
 */
class StubAbortTest {

    private static final String CONFIG = TestHost.configWithClass("stub-abort", "SLOW", "Slow");

    // Slow counts the requests whose handler finished; each takes 300 ms before it counts.
    private static final String WORKER = """
            export class Slow {
              constructor(state) { this.state = state; }
              async fetch(request) {
                if (new URL(request.url).pathname === "/count") {
                  return new Response(String((await this.state.storage.get("finished")) ?? 0));
                }
                await new Promise((resolve) => setTimeout(resolve, 300));
                await this.state.storage.put("finished", ((await this.state.storage.get("finished")) ?? 0) + 1);
                return new Response("done");
              }
            }

            export default {
              async fetch(request, env) {
                const path = new URL(request.url).pathname;
                const stub = env.SLOW.get(env.SLOW.idFromName("a"));
                if (path === "/count") return stub.fetch("https://slow/count");
                const reason = new Error("stopped by the test");
                const controller = new AbortController();
                if (path === "/aborted-before") controller.abort(reason);
                else setTimeout(() => controller.abort(reason), 20);
                try {
                  await stub.fetch("https://slow/work", { signal: controller.signal });
                  return new Response("resolved");
                } catch (error) {
                  return new Response(error === reason ? "rejected with the reason" : "rejected with " + error);
                }
              }
            };
            """;

    @TempDir
    Path project;

    @TempDir
    Path data;

    @Test
    void abortedSignalKeepsRequestFromObject() throws Exception {
        TestHost.writeProject(project, Map.of("wrangler.toml", CONFIG, "worker.js", WORKER));
        try (TestHost host = TestHost.start(project, data)) {
            String outcome = host.get("/aborted-before").body();

            assertEquals("rejected with the reason", outcome);
            assertEquals("0", host.get("/count").body(), "no handler ran");
        }
    }

    @Test
    void abortUnderWayRejectsButHandlerFinishes() throws Exception {
        TestHost.writeProject(project, Map.of("wrangler.toml", CONFIG, "worker.js", WORKER));
        try (TestHost host = TestHost.start(project, data)) {
            String outcome = host.get("/aborted-under-way").body();
            String finished = "0";
            for (int attempt = 0; attempt < 100 && finished.equals("0"); attempt++) {
                finished = host.get("/count").body();
                Thread.sleep(50);
            }

            assertEquals("rejected with the reason", outcome);
            assertEquals("1", finished, "the object's handler ran to its end");
        }
    }
}
