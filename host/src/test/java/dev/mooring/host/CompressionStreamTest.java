package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * CompressionStream and DecompressionStream between a script and a real HTTP client: a Worker's
 * and an object's streamed responses piped through {@code CompressionStream("gzip")} reach the
 * client as gzip that {@link GZIPInputStream} reads, and a gzip request body that the client sends
 * is read back through {@code DecompressionStream}.
 */
@Timeout(120)
class CompressionStreamTest {

    private static final String CONFIG = TestHost.configWithClass("compress", "PAGES", "Pages");

    /** The text that both sides build: 20,000 numbered lines, about 600 KB. */
    private static final String TEXT_FUNCTION = """
            function text() {
              let text = "";
              for (let line = 0; line < 20000; line++) {
                text += "line " + line + ": the quick brown fox\\n";
              }
              return text;
            }
            """;

    private static final String WORKER = TEXT_FUNCTION + """
            // The text, written to a stream in pieces of 4,096 characters from a timer.
            function textStream() {
              const all = new TextEncoder().encode(text());
              const { readable, writable } = new TransformStream();
              const writer = writable.getWriter();
              let offset = 0;
              const timer = setInterval(() => {
                writer.write(all.subarray(offset, offset + 4096));
                offset += 4096;
                if (offset >= all.length) {
                  clearInterval(timer);
                  writer.close();
                }
              }, 1);
              return readable;
            }

            function gzipResponse(body) {
              return new Response(body.pipeThrough(new CompressionStream("gzip")), {
                encodeBody: "manual",
                headers: { "content-encoding": "gzip", "content-type": "text/plain" },
              });
            }

            export class Pages {
              async fetch(request) {
                return gzipResponse(textStream());
              }
            }

            export default {
              async fetch(request, env) {
                const path = new URL(request.url).pathname;
                if (path === "/worker") {
                  return gzipResponse(textStream());
                }
                if (path === "/object") {
                  return env.PAGES.get(env.PAGES.idFromName("one")).fetch(request);
                }
                if (path === "/inflate") {
                  const inflated = await new Response(request.body.pipeThrough(new DecompressionStream("gzip"))).text();
                  return new Response(inflated === text() ? "same text" : "different text of " + inflated.length + " characters");
                }
                if (path === "/inflate-corrupt") {
                  try {
                    await new Response(request.body.pipeThrough(new DecompressionStream("gzip"))).text();
                    return new Response("no error");
                  } catch (error) {
                    return new Response(error.name + ": " + error.message, { status: 400 });
                  }
                }
                return new Response("not found", { status: 404 });
              }
            };
            """;

    private static final byte[] TEXT = GzipText.lines(20000);

    @TempDir
    Path project;

    @TempDir
    Path data;

    @BeforeEach
    void writeProject() throws Exception {
        TestHost.writeProject(project, Map.of("wrangler.toml", CONFIG, "worker.js", WORKER));
    }

    @Test
    void workerResponseArrivesAsGzip() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            assertGzipOfText(getBytes(host, "/worker"));
        }
    }

    @Test
    void objectResponseArrivesAsGzip() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            assertGzipOfText(getBytes(host, "/object"));
        }
    }

    @Test
    void gzipRequestBodyDecompresses() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            HttpResponse<String> response = post(host, "/inflate", GzipText.gzip(TEXT));
            assertEquals(200, response.statusCode(), response.body());
            assertEquals("same text", response.body());
        }
    }

    @Test
    void corruptRequestBodyRaisesTypeError() throws Exception {
        byte[] corrupt = GzipText.gzip(TEXT);
        corrupt[corrupt.length - 5] ^= 1;
        try (TestHost host = TestHost.start(project, data)) {
            HttpResponse<String> response = post(host, "/inflate-corrupt", corrupt);
            assertEquals(400, response.statusCode(), response.body());
            assertEquals("TypeError: Decompression failed.", response.body());
        }
    }

    private static HttpResponse<byte[]> getBytes(TestHost host, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(host.uri(path)).timeout(Duration.ofSeconds(60)).GET().build();
        return host.client().send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpResponse<String> post(TestHost host, String path, byte[] body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(host.uri(path))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return host.client().send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** Checks a streamed gzip response, which the JDK's HTTP client leaves compressed. */
    private static void assertGzipOfText(HttpResponse<byte[]> response) throws IOException {
        GzipText.assertGzipOf(TEXT, response);
        assertEquals("chunked", response.headers().firstValue("transfer-encoding").orElse(""), "a streamed body");
    }
}
