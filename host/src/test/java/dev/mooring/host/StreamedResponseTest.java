package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Response whose body is a stream reaches the HTTP client chunk by chunk: server-sent events
 * written from an object's timer arrive while the stream is still open, directly and through a
 * Worker that returns {@code stub.fetch(request)}; a client that goes away cancels the script's
 * stream; and a stream that errors cuts the body short.
 */
@Timeout(120)
class StreamedResponseTest {

    private static final String CONFIG = TestHost.configWithClass("sse", "EVENTS", "Events");

    private static final String WORKER = """
            export class Events {
              constructor(state) { this.state = state; this.cancelled = []; }
              async fetch(request) {
                const path = new URL(request.url).pathname;
                if (path === "/seen") {
                  return new Response(JSON.stringify(this.cancelled));
                }
                if (path === "/reset") {
                  this.state.abort("reset by the test");
                }
                if (path === "/flood") {
                  const chunk = new Uint8Array(16384).fill(120);
                  return new Response(new ReadableStream({
                    pull(controller) { controller.enqueue(chunk); },
                    cancel: (reason) => { this.cancelled.push(String(reason && reason.message || reason)); },
                  }));
                }
                if (path === "/broken") {
                  const { readable, writable } = new TransformStream();
                  const writer = writable.getWriter();
                  writer.write(new TextEncoder().encode("data: first\\n\\n"));
                  setTimeout(() => writer.abort(new Error("the feed broke")), 50);
                  return new Response(readable, { headers: { "content-type": "text/event-stream" } });
                }
                const { readable, writable } = new TransformStream();
                const writer = writable.getWriter();
                const encoder = new TextEncoder();
                let n = 0;
                const timer = setInterval(() => {
                  n += 1;
                  writer.write(encoder.encode("data: event " + n + "\\n\\n")).catch(() => {});
                }, 20);
                writer.closed.catch((reason) => {
                  clearInterval(timer);
                  this.cancelled.push(String(reason && reason.message || reason));
                });
                return new Response(readable, { headers: { "content-type": "text/event-stream" } });
              }
            }

            export default {
              async fetch(request, env) {
                const stub = env.EVENTS.get(env.EVENTS.idFromName("feed"));
                return stub.fetch(request);
              }
            };
            """;

    @TempDir
    Path project;

    @TempDir
    Path data;

    private Set<Thread> threadsBefore;

    @BeforeEach
    void writeProject() throws Exception {
        threadsBefore = Thread.getAllStackTraces().keySet();
        TestHost.writeProject(project, Map.of("wrangler.toml", CONFIG, "worker.js", WORKER));
    }

    @AfterEach
    void checkThreads() throws Exception {
        Set<String> leaked = leakedThreads();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!leaked.isEmpty() && System.nanoTime() < deadline) {
            // The JDK HTTP client's selector thread ends on its own shortly after the client closes.
            Thread.sleep(20);
            leaked = leakedThreads();
        }
        assertTrue(leaked.isEmpty(), "threads still running after the test: " + leaked);
    }

    private Set<String> leakedThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !threadsBefore.contains(thread) && thread.isAlive())
                .map(Thread::getName)
                .filter(name -> name.startsWith("mooring-") || name.startsWith("HttpClient-"))
                .collect(Collectors.toSet());
    }

    /** The first event of a stream that never ends reaches the client, through the Worker and the stub. */
    @Test
    void firstEventArrivesBeforeTheStreamEnds() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            HttpResponse<InputStream> response = open(host, "/events");
            assertEquals(200, response.statusCode());
            assertEquals("text/event-stream", response.headers().firstValue("content-type").orElse(""));
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                // The stream never ends, so reading these lines proves that chunks arrive as written.
                assertEquals("data: event 1", lines.readLine());
                assertEquals("", lines.readLine());
                assertEquals("data: event 2", lines.readLine());
            }
        }
    }

    /** A client that disconnects cancels the object's stream, so the object's writer's closed promise rejects. */
    @Test
    void clientThatDisconnectsCancelsTheStream() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            HttpResponse<InputStream> response = open(host, "/events");
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                assertEquals("data: event 1", lines.readLine());
            }
            String seen = "[]";
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen.equals("[]") && System.nanoTime() < deadline) {
                // Polls the object's own record; each poll is a request of its own, not a sleep on timing.
                seen = host.get("/seen").body();
            }
            assertTrue(seen.contains("client went away"), seen);
        }
    }

    /** A client that stops reading makes the host pass its cap on queued bytes, which aborts the response and errors the stream. */
    @Test
    void slowClientPastTheCapAbortsTheResponse() throws Exception {
        try (TestHost host = TestHost.start(project, data, TestHost.Options.defaults().withMaxQueuedResponseBody(64 * 1024))) {
            HttpResponse<InputStream> response = open(host, "/flood");
            assertEquals(200, response.statusCode());
            String seen = "[]";
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen.equals("[]") && System.nanoTime() < deadline) {
                seen = host.get("/seen").body();
            }
            assertTrue(seen.contains("more slowly than it was written"), seen);
            try (InputStream body = response.body()) {
                assertThrows(IOException.class, body::readAllBytes);
            }
        }
    }

    /** Stopping the host ends a stream that is still open: the client's connection closes instead of hanging. */
    @Test
    void stopEndsOpenStreams() throws Exception {
        HttpResponse<InputStream> response;
        TestHost host = TestHost.start(project, data);
        try {
            response = open(host, "/events");
            BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
            assertEquals("data: event 1", lines.readLine());
        } finally {
            host.close();
        }
        try (InputStream body = response.body()) {
            assertThrows(IOException.class, body::readAllBytes);
        }
    }

    /** Resetting the object ends its open stream: the client's connection closes with a truncated body. */
    @Test
    void resetEndsOpenStreams() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            HttpResponse<InputStream> response = open(host, "/events");
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                assertEquals("data: event 1", lines.readLine());
                host.get("/reset");
                assertThrows(IOException.class, () -> {
                    while (lines.readLine() != null) {
                        // Events written before the reset may still arrive; the body must not end cleanly.
                    }
                });
            }
        }
    }

    /** A stream that errors after its first chunk aborts the connection: the client sees a truncated body. */
    @Test
    void streamErrorTruncatesTheResponse() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            HttpResponse<InputStream> response = open(host, "/broken");
            assertEquals(200, response.statusCode());
            try (InputStream body = response.body()) {
                assertThrows(IOException.class, body::readAllBytes);
            }
        }
    }

    private static HttpResponse<InputStream> open(TestHost host, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(host.uri(path)).timeout(Duration.ofSeconds(60)).GET().build();
        return host.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
    }
}
