package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guest ReadableStreams cross the host as bodies. A Durable Object's response built from a
 * TransformStream that a timer writes reaches an HTTP client whole, and a stream sent with
 * stub.fetch() reaches the object. A stream whose chunk is not bytes fails the request instead of
 * sending wrong bytes, and a Worker's stream that waits for nothing is cut short, as workerd does.
 */
class StreamBodyTest {

    private static final String CONFIG = TestHost.configWithClass("streams", "STREAMER", "Streamer");

    private static final String WORKER = """
            export class Streamer {
              async fetch(request) {
                const path = new URL(request.url).pathname;
                if (path === "/echo") {
                  let length = 0;
                  for await (const chunk of request.body) {
                    length += chunk.byteLength;
                  }
                  return new Response("object read " + length + " bytes");
                }
                if (path === "/not-bytes") {
                  return new Response(new ReadableStream({ start(c) { c.enqueue("text"); c.close(); } }));
                }
                const { readable, writable } = new TransformStream();
                const writer = writable.getWriter();
                const encoder = new TextEncoder();
                let line = 0;
                const timer = setInterval(() => {
                  line += 1;
                  writer.write(encoder.encode("line " + line + "\\n"));
                  if (line === 5) {
                    clearInterval(timer);
                    writer.close();
                  }
                }, 5);
                return new Response(readable, { headers: { "content-type": "text/plain" } });
              }
            }

            export default {
              async fetch(request, env) {
                const stub = env.STREAMER.get(env.STREAMER.idFromName("one"));
                const path = new URL(request.url).pathname;
                if (path === "/never-ends") {
                  return new Response(new ReadableStream());
                }
                if (path === "/upload") {
                  const body = request.body.pipeThrough(new TransformStream());
                  return stub.fetch("https://object/echo", { method: "POST", body });
                }
                return stub.fetch(request);
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
    void objectStreamReachesClientWhole() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            HttpResponse<String> response = host.get("/lines");
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("line 1\nline 2\nline 3\nline 4\nline 5\n", response.body());
            assertEquals("text/plain", response.headers().firstValue("content-type").orElse(""));
        }
    }

    @Test
    void stubFetchSendsStreamBody() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            HttpRequest request = HttpRequest.newBuilder(host.uri("/upload"))
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofString("x".repeat(100_000)))
                    .build();
            HttpResponse<String> response = host.client().send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals("object read 100000 bytes", response.body());
        }
    }

    @Test
    void workerStreamThatNeverEndsIsHung() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            HttpResponse<java.io.InputStream> response = host.client().send(
                    HttpRequest.newBuilder(host.uri("/never-ends")).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            try (java.io.InputStream body = response.body()) {
                org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, body::readAllBytes);
            }
        }
    }

    @Test
    void nonByteChunkFailsRequest() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, () -> {
                HttpResponse<String> response = host.get("/not-bytes");
                throw new AssertionError("expected an aborted connection, got " + response.statusCode() + " " + response.body());
            });
        }
    }
}
