package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.host.egress.EgressPolicy;
import dev.mooring.host.egress.EgressSettings;
import dev.mooring.host.egress.OriginServer;
import com.sun.net.httpserver.HttpExchange;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The host applies a response's Content-Encoding as workerd does: a body that a Worker or an
 * object writes plain, under {@code Content-Encoding: gzip}, reaches a real HTTP client gzipped
 * once, whole or streamed, directly or through {@code stub.fetch()}. A body created with
 * {@code encodeBody: "manual"} and a coding other than exactly {@code gzip} go out as written.
 * {@code fetch()} decodes a gzip body from a server on 127.0.0.1 within the response size limit,
 * unless the request sets {@code encodeResponseBody: "manual"}. The JDK's HTTP client does
 * not decompress, so the tests see the bytes on the wire. A gzip request body reaches the script
 * as the client sent it.
 */
@Timeout(120)
class ContentEncodingTest {

    private static final String CONFIG = TestHost.configWithClass("encoding", "PAGES", "Pages");

    private static final String WORKER = """
            function text() {
              let text = "";
              for (let line = 0; line < 2000; line++) {
                text += "line " + line + ": the quick brown fox\\n";
              }
              return text;
            }

            function plain(encoding, extraHeaders) {
              return new Response(text(), { headers: { "content-encoding": encoding, ...extraHeaders } });
            }

            // Lines written from a timer to a stream that stays open until the client goes away.
            function eventStream() {
              const { readable, writable } = new TransformStream();
              const writer = writable.getWriter();
              const encoder = new TextEncoder();
              let n = 0;
              const timer = setInterval(() => {
                n += 1;
                writer.write(encoder.encode("data: event " + n + "\\n\\n")).catch(() => clearInterval(timer));
              }, 20);
              return new Response(readable, {
                headers: { "content-encoding": "gzip", "content-type": "text/event-stream" },
              });
            }

            async function gzipped() {
              const stream = new Response(text()).body.pipeThrough(new CompressionStream("gzip"));
              return new Uint8Array(await new Response(stream).arrayBuffer());
            }

            export class Pages {
              async fetch(request) {
                const path = new URL(request.url).pathname;
                if (path === "/object/plain") return plain("gzip");
                if (path === "/object/stream") return eventStream();
                if (path === "/object/manual") {
                  return new Response(await gzipped(), { encodeBody: "manual", headers: { "content-encoding": "gzip" } });
                }
                return new Response("not found", { status: 404 });
              }
            }

            export default {
              async fetch(request, env) {
                const url = new URL(request.url);
                const path = url.pathname;
                if (path.startsWith("/object/")) {
                  return env.PAGES.get(env.PAGES.idFromName("one")).fetch(request);
                }
                if (path === "/plain") return plain("gzip");
                if (path === "/with-length") return plain("gzip", { "content-length": String(text().length) });
                if (path === "/deflate") return plain("deflate");
                if (path === "/br") return plain("br");
                if (path === "/upper-case") return plain("GZIP");
                if (path === "/stream") return eventStream();
                if (path === "/manual") {
                  return new Response("already encoded", { encodeBody: "manual", headers: { "content-encoding": "gzip" } });
                }
                if (path === "/manual-copy") {
                  const manual = new Response("already encoded", { encodeBody: "manual", headers: { "content-encoding": "gzip" } });
                  return new Response(manual.body, manual);
                }
                if (path === "/manual-clone") {
                  return new Response("already encoded", { encodeBody: "manual", headers: { "content-encoding": "gzip" } }).clone();
                }
                if (path === "/bad-option") {
                  try {
                    new Response("x", { encodeBody: "gzip" });
                    return new Response("no error");
                  } catch (error) {
                    return new Response(error.name + ": " + error.message, { status: 400 });
                  }
                }
                if (path === "/request-body") {
                  const bytes = new Uint8Array(await request.arrayBuffer());
                  return new Response(bytes.length + " bytes, starting " + bytes[0].toString(16) + " " + bytes[1].toString(16));
                }
                if (path === "/fetch") return fetch(url.searchParams.get("url"));
                if (path === "/fetch-text") {
                  try {
                    const fetched = await fetch(url.searchParams.get("url"));
                    return new Response(await fetched.text(), {
                      headers: { "x-fetched-encoding": fetched.headers.get("content-encoding") },
                    });
                  } catch (error) {
                    return new Response(error.name + ": " + error.message, { status: 502 });
                  }
                }
                if (path === "/fetch-manual") {
                  const fetched = await fetch(url.searchParams.get("url"), { encodeResponseBody: "manual" });
                  return new Response(await fetched.arrayBuffer());
                }
                return new Response("not found", { status: 404 });
              }
            };
            """;

    private static final byte[] TEXT = GzipText.lines(2000);

    @TempDir
    Path project;

    @TempDir
    Path data;

    private OriginServer origin;

    @BeforeEach
    void writeProject() throws Exception {
        TestHost.writeProject(project, Map.of("wrangler.toml", CONFIG, "worker.js", WORKER));
        origin = OriginServer.start();
        origin.on("/gzipped", exchange -> sendGzip(exchange, GzipText.gzip(TEXT)));
        // 8 MiB of zeros, about 8 KiB compressed: over the 1 MiB limit only once decoded.
        origin.on("/bomb", exchange -> sendGzip(exchange, GzipText.gzip(new byte[8 << 20])));
        origin.on("/corrupt", exchange -> sendGzip(exchange, "not gzip at all".getBytes(StandardCharsets.UTF_8)));
    }

    @AfterEach
    void stopOrigin() throws Exception {
        origin.close();
    }

    @Test
    void workerBodyIsGzipped() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            HttpResponse<byte[]> response = getBytes(host, "/plain");
            GzipText.assertGzipOf(TEXT, response);
            assertEquals(String.valueOf(response.body().length), response.headers().firstValue("content-length").orElse(""),
                    "the length of the compressed body");
        }
    }

    @Test
    void scriptContentLengthIsReplaced() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            HttpResponse<byte[]> response = getBytes(host, "/with-length");
            GzipText.assertGzipOf(TEXT, response);
            assertEquals(String.valueOf(response.body().length), response.headers().firstValue("content-length").orElse(""));
        }
    }

    @Test
    void objectBodyThroughStubIsGzippedOnce() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            GzipText.assertGzipOf(TEXT, getBytes(host, "/object/plain"));
        }
    }

    @Test
    void manualStubBodyIsSentAsWritten() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            GzipText.assertGzipOf(TEXT, getBytes(host, "/object/manual"));
        }
    }

    @Test
    void streamedEventsArriveGzippedAsWritten() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            assertEventsArrive(host, "/stream");
        }
    }

    @Test
    void stubStreamedEventsArriveGzipped() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            assertEventsArrive(host, "/object/stream");
        }
    }

    @Test
    void manualBodyIsSentAsWritten() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            for (String path : new String[] {"/manual", "/manual-copy", "/manual-clone"}) {
                HttpResponse<byte[]> response = getBytes(host, path);
                assertEquals(200, response.statusCode(), path);
                assertEquals("gzip", response.headers().firstValue("content-encoding").orElse(""), path);
                assertEquals("already encoded", new String(response.body(), StandardCharsets.UTF_8), path);
            }
        }
    }

    @Test
    void otherCodingsAreSentAsWritten() throws Exception {
        Map<String, String> codings = Map.of("/deflate", "deflate", "/br", "br", "/upper-case", "GZIP");
        try (TestHost host = TestHost.start(project, data)) {
            for (Map.Entry<String, String> coding : codings.entrySet()) {
                HttpResponse<byte[]> response = getBytes(host, coding.getKey());
                assertEquals(200, response.statusCode(), coding.getKey());
                assertEquals(coding.getValue(), response.headers().firstValue("content-encoding").orElse(""));
                assertArrayEquals(TEXT, response.body(), coding.getKey());
            }
        }
    }

    @Test
    void invalidEncodeBodyRaisesTypeError() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            HttpResponse<byte[]> response = getBytes(host, "/bad-option");
            assertEquals(400, response.statusCode());
            assertEquals("TypeError: encodeBody: unexpected value: gzip", new String(response.body(), StandardCharsets.UTF_8));
        }
    }

    @Test
    void fetchedGzipBodyIsForwardedOnce() throws Exception {
        try (TestHost host = startWithEgress(EgressSettings.DEFAULTS)) {
            GzipText.assertGzipOf(TEXT, getBytes(host, "/fetch?url=" + originUrl("/gzipped")));
        }
    }

    /** As in workerd, which follows the Fetch Standard in not decoding request bodies. */
    @Test
    void gzipRequestBodyArrivesAsSent() throws Exception {
        byte[] body = GzipText.gzip(TEXT);
        try (TestHost host = TestHost.start(project, data)) {
            HttpRequest request = HttpRequest.newBuilder(host.uri("/request-body"))
                    .timeout(Duration.ofSeconds(60))
                    .header("Content-Encoding", "gzip")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<String> response = host.client().send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            assertEquals(body.length + " bytes, starting 1f 8b", response.body());
        }
    }

    @Test
    void fetchDecodesGzipBody() throws Exception {
        try (TestHost host = startWithEgress(EgressSettings.DEFAULTS)) {
            HttpResponse<byte[]> response = getBytes(host, "/fetch-text?url=" + originUrl("/gzipped"));
            assertEquals(200, response.statusCode(), () -> new String(response.body(), StandardCharsets.UTF_8));
            assertEquals("gzip", response.headers().firstValue("x-fetched-encoding").orElse(""), "the header stays");
            assertArrayEquals(TEXT, response.body());
        }
    }

    @Test
    void fetchManualKeepsGzipBody() throws Exception {
        try (TestHost host = startWithEgress(EgressSettings.DEFAULTS)) {
            HttpResponse<byte[]> response = getBytes(host, "/fetch-manual?url=" + originUrl("/gzipped"));
            assertEquals(200, response.statusCode());
            assertArrayEquals(GzipText.gzip(TEXT), response.body());
        }
    }

    @Test
    void fetchDecodedSizeIsCapped() throws Exception {
        try (TestHost host = startWithEgress(EgressSettings.DEFAULTS.withMaxResponseBytes(1 << 20))) {
            HttpResponse<byte[]> response = getBytes(host, "/fetch-text?url=" + originUrl("/bomb"));
            assertEquals(502, response.statusCode());
            String message = new String(response.body(), StandardCharsets.UTF_8);
            assertTrue(message.startsWith("Error: The response from " + origin.url("/bomb") + " is larger than 1048576 bytes"),
                    message);
        }
    }

    @Test
    void fetchInvalidGzipRaisesTypeError() throws Exception {
        try (TestHost host = startWithEgress(EgressSettings.DEFAULTS)) {
            HttpResponse<byte[]> response = getBytes(host, "/fetch-text?url=" + originUrl("/corrupt"));
            assertEquals(502, response.statusCode());
            String message = new String(response.body(), StandardCharsets.UTF_8);
            assertTrue(message.startsWith("TypeError: The response from " + origin.url("/corrupt")
                    + " has Content-Encoding gzip, but its body is not valid gzip data"), message);
        }
    }

    private TestHost startWithEgress(EgressSettings egress) throws Exception {
        return TestHost.start(project, data, TestHost.Options.defaults().withEgress(egress.withPolicy(EgressPolicy.parse("127.0.0.1"))));
    }

    private String originUrl(String path) {
        return URLEncoder.encode(origin.url(path), StandardCharsets.UTF_8);
    }

    private static void sendGzip(HttpExchange exchange, byte[] body) throws IOException {
        exchange.getResponseHeaders().add("Content-Encoding", "gzip");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static HttpResponse<byte[]> getBytes(TestHost host, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(host.uri(path)).timeout(Duration.ofSeconds(60)).GET().build();
        return host.client().send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Reads the first events of a stream that never ends, so they must arrive as the script writes them. */
    private static void assertEventsArrive(TestHost host, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(host.uri(path)).timeout(Duration.ofSeconds(60)).GET().build();
        HttpResponse<InputStream> response = host.client().send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertEquals("gzip", response.headers().firstValue("content-encoding").orElse(""));
        assertFalse(response.headers().firstValue("content-length").isPresent(), "a streamed body has no length");
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(response.body()),
                StandardCharsets.UTF_8))) {
            assertEquals("data: event 1", lines.readLine());
            assertEquals("", lines.readLine());
            assertEquals("data: event 2", lines.readLine());
        }
    }
}
