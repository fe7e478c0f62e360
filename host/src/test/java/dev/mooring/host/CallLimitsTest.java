package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The caps on outgoing calls and on requests waiting for one object, on a real host: one event
 * makes at most 1,000 stub calls and 1,000 {@code fetch()} calls, and an object with too many
 * requests waiting turns more away with workerd's overload error.
 */
class CallLimitsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String CONFIG = TestHost.configWithClass("calls", "OBJ", "Busy");

    // Busy objects named "held-..." keep their input gate closed for 2 s after they are
    // constructed, so the requests sent to them wait in the host meanwhile.
    private static final String WORKER = """
            export class Busy {
              constructor(state) {
                if (state.id.name.startsWith("held-")) {
                  state.blockConcurrencyWhile(() => new Promise((resolve) => setTimeout(resolve, 2000)));
                }
              }
              async fetch() { return new Response("ok"); }
            }

            async function settle(calls) {
              const results = await Promise.allSettled(calls);
              const failures = results.filter((r) => r.status === "rejected").map((r) => r.reason);
              return Response.json({
                fulfilled: results.length - failures.length,
                messages: [...new Set(failures.map((e) => e.message))],
                overloaded: failures.filter((e) => e.overloaded === true).length,
              });
            }

            export default {
              async fetch(request, env) {
                const url = new URL(request.url);
                const count = Number(url.searchParams.get("n"));
                if (url.pathname === "/fetches") {
                  return settle(Array.from({ length: count }, () => fetch("http://not-allowed.invalid/")));
                }
                const stub = env.OBJ.get(env.OBJ.idFromName(url.pathname.slice(1)));
                return settle(Array.from({ length: count }, () => stub.fetch("https://busy/")));
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
    void stubCallPastLimitIsRejected() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            JsonNode result = JSON.readTree(host.get("/free?n=1001").body());

            assertEquals(1000, result.get("fulfilled").asInt());
            assertEquals(1, result.get("messages").size(), result.toString());
            assertEquals("Too many API requests by single Worker invocation. One event may make at most 1000 Durable Object"
                    + " calls; spread the work over several requests.", result.get("messages").get(0).asText());
        }
    }

    @Test
    void fetchPastLimitIsRejected() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            // No host is allowed, so the first 1,000 calls fail at the egress check without any traffic.
            JsonNode result = JSON.readTree(host.get("/fetches?n=1001").body());

            assertEquals(0, result.get("fulfilled").asInt());
            assertEquals(2, result.get("messages").size(), result.toString());
            assertEquals("Too many subrequests. One event may make at most 1000 fetch() calls; spread the work over several"
                    + " requests.", result.get("messages").get(1).asText());
        }
    }

    @Test
    void objectWithFullQueueIsOverloaded() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            // Two events send 600 requests each to one object while its input gate is closed.
            List<CompletableFuture<HttpResponse<String>>> responses = List.of(send(host, "/held-a?n=600"),
                    send(host, "/held-a?n=600"));
            int fulfilled = 0;
            int overloaded = 0;
            Set<String> messages = new TreeSet<>();
            for (CompletableFuture<HttpResponse<String>> response : responses) {
                JsonNode result = JSON.readTree(response.get().body());
                fulfilled += result.get("fulfilled").asInt();
                overloaded += result.get("overloaded").asInt();
                result.get("messages").forEach(message -> messages.add(message.asText()));
            }

            assertEquals(1000, fulfilled, messages.toString());
            assertEquals(200, overloaded, messages.toString());
            assertEquals(Set.of("Durable Object is overloaded. Too many requests queued."), messages);
            JsonNode later = JSON.readTree(host.get("/held-a?n=10").body());
            assertEquals(10, later.get("fulfilled").asInt(), "the object takes requests again once its queue drained");
        }
    }

    private static CompletableFuture<HttpResponse<String>> send(TestHost host, String path) {
        return host.client().sendAsync(HttpRequest.newBuilder(host.uri(path)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
