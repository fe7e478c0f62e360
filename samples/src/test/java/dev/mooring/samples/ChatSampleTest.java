package dev.mooring.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat sample over plain HTTP: the page, the room API, the WebSocket route's checks and the
 * rate limiter. The browser test covers the WebSocket protocol itself.
 *
 * <p>The server runs a copy of the sample whose entry module is a probe: it sends
 * {@code /probe/limiter/<ip>/<count>} as {@code count} requests to that IP's rate limiter in one
 * event, and hands every other request to the sample's own Worker.
 */
class ChatSampleTest {

    private static final Duration STARTUP = Duration.ofSeconds(90);

    private static final String PROBE = """
            import chat from "./worker.js";
            export { ChatRoom, RateLimiter } from "./worker.js";

            export default {
              async fetch(request, env, ctx) {
                const match = /^\\/probe\\/limiter\\/([^/]+)\\/(\\d+)$/.exec(new URL(request.url).pathname);
                if (!match) {
                  return chat.fetch(request, env, ctx);
                }
                const limiter = env.limiters.get(env.limiters.idFromName(match[1]));
                const statuses = [];
                for (let i = 0; i < Number(match[2]); i++) {
                  const response = await limiter.fetch("https://limiter/take", { method: request.method });
                  statuses.push(response.status);
                }
                return new Response(statuses.join(","));
              },
            };
            """;

    @TempDir
    static Path workspace;

    private static LauncherProcess server;
    private static int port;
    private static Path sample;

    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void startProbe() throws Exception {
        sample = LauncherProcess.repository().resolve("samples/chat");
        Path project = workspace.resolve("chat");
        Files.createDirectories(project.resolve("src"));
        try (var files = Files.list(sample.resolve("src"))) {
            for (Path file : files.toList()) {
                Files.copy(file, project.resolve("src").resolve(file.getFileName()));
            }
        }
        String config = Files.readString(sample.resolve("wrangler.toml"));
        assertTrue(config.contains("main = \"src/worker.js\""), "wrangler.toml no longer names src/worker.js as main:\n" + config);
        Files.writeString(project.resolve("wrangler.toml"), config.replace("main = \"src/worker.js\"", "main = \"src/probe.js\""));
        Files.writeString(project.resolve("src/probe.js"), PROBE);

        server = LauncherProcess.start("dev", project.toString(), "--port", "0", "--data", workspace.resolve("data").toString(),
                "--warmup", "0s");
        port = server.awaitPort(STARTUP);
    }

    @AfterAll
    static void stopProbe() throws InterruptedException {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<byte[]> send(String method, String path, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            request.headers(headers);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    @Test
    void pageIsDataModuleBytes() throws Exception {
        byte[] page = Files.readAllBytes(sample.resolve("src/chat.html"));
        for (int i = 0; i < 2; i++) {
            HttpResponse<byte[]> response = send("GET", "/");
            assertEquals(200, response.statusCode(), server.output());
            assertEquals("text/html;charset=UTF-8", response.headers().firstValue("content-type").orElse(""));
            assertArrayEquals(page, response.body(), "GET / number " + (i + 1) + " differs from chat.html");
        }
    }

    @Test
    void pageRejectsPost() throws Exception {
        HttpResponse<byte[]> response = send("POST", "/");
        assertEquals(405, response.statusCode());
        assertEquals("GET, HEAD", response.headers().firstValue("allow").orElse(""));
    }

    @Test
    void roomApiCreatesPrivateRooms() throws Exception {
        HttpResponse<byte[]> first = send("POST", "/api/room");
        HttpResponse<byte[]> second = send("POST", "/api/room");

        assertEquals(200, first.statusCode(), text(first));
        assertTrue(text(first).matches("[0-9a-f]{64}"), "not a 64-hex-digit ID: " + text(first));
        assertTrue(text(second).matches("[0-9a-f]{64}"), "not a 64-hex-digit ID: " + text(second));
        assertNotEquals(text(first), text(second));
        assertEquals(405, send("GET", "/api/room").statusCode());
    }

    @Test
    void websocketRouteChecksRoomAndUpgrade() throws Exception {
        String privateRoom = text(send("POST", "/api/room"));

        assertEquals(426, send("GET", "/api/room/lobby/websocket").statusCode());
        assertEquals(426, send("GET", "/api/room/" + "a".repeat(32) + "/websocket").statusCode());
        assertEquals(426, send("GET", "/api/room/" + privateRoom + "/websocket").statusCode());

        HttpResponse<byte[]> tooLong = send("GET", "/api/room/" + "a".repeat(33) + "/websocket");
        assertEquals(404, tooLong.statusCode());
        assertEquals("Room names have at most 32 characters\n", text(tooLong));

        HttpResponse<byte[]> foreign = send("GET", "/api/room/" + "0".repeat(64) + "/websocket");
        assertEquals(404, foreign.statusCode());
        assertEquals("No private room has the ID " + "0".repeat(64) + "\n", text(foreign));

        assertEquals(404, send("GET", "/api/room/lobby/history").statusCode());
        assertEquals(404, send("GET", "/favicon.ico").statusCode());
    }

    // The limiter books one slot per 5 s and allows slots up to 15 s ahead, so four requests pass
    // and the rest fail, as long as the six requests of one probe event take less than 5 s.
    @Test
    void rateLimiterAllowsBurstOfFour() throws Exception {
        assertEquals("204,204,204,204,429,429", text(send("POST", "/probe/limiter/192.0.2.1/6")));
        assertEquals("204", text(send("POST", "/probe/limiter/192.0.2.2/1")), "another IP has its own limiter");
    }

    @Test
    void rateLimiterAcceptsOnlyPost() throws Exception {
        assertEquals("405,405,405,405,405", text(send("GET", "/probe/limiter/192.0.2.3/5")));
        assertEquals("204,204,204,204", text(send("POST", "/probe/limiter/192.0.2.3/4")), "a rejected GET took a slot");
    }
}
