package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.host.config.WebSocketSettings;
import dev.mooring.host.egress.EgressPolicy;
import dev.mooring.host.egress.EgressSettings;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outgoing WebSockets end to end: a Worker and a Durable Object in a real host open a socket to a
 * real Undertow WebSocket server on 127.0.0.1, with {@code fetch()} and {@code Upgrade:
 * websocket} or with {@code new WebSocket()}. A real WebSocket client talks to the guest through
 * a bridge: what the client sends goes out on the outgoing socket, and every event of that socket
 * comes back to the client as one line ("open chat", "text hi", "close 4000 bye true"). Teardown
 * checks that no thread of the host or the JDK HTTP client outlives it.
 */
class OutgoingWebSocketTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String WRANGLER = TestHost.configWithClass("dialer", "DIALER", "Dialer");

    /**
     * {@code /bridge?target=URL&mode=fetch|construct} bridges the client to an outgoing socket
     * from the Worker, {@code /object/NAME/bridge?...} from object NAME. {@code /refused?target=URL}
     * reports what fetch() with Upgrade returned, {@code /construct-refused?target=URL} what the
     * events of a constructed socket were, and {@code /object/NAME/hibernate?target=URL} what
     * state.acceptWebSocket() threw for a fetched socket. {@code /object/NAME/dial?target=URL}
     * makes object NAME open a socket and keep it, and {@code /object/NAME/send?text=T} sends T on it.
     * {@code /proxy?target=URL} hands the fetched socket itself to the client.
     * {@code /after-subrequests?target=URL} reports how both ways of opening fail after 1,000 fetch() calls.
     */
    private static final String WORKER = """
            async function open(mode, target) {
              if (mode === "fetch") {
                const response = await fetch(target.replace(/^ws/, "http"),
                    { headers: { Upgrade: "websocket", "Sec-WebSocket-Protocol": "chat", "X-Dialer": "fetch" } });
                if (response.status !== 101) throw new Error("not upgraded: " + response.status);
                const ws = response.webSocket;
                ws.accept();
                return { ws, opened: "open " + ws.protocol };
              }
              return { ws: new WebSocket(target, ["chat"]), opened: null };
            }

            async function bridge(request, state) {
              const url = new URL(request.url);
              const [client, server] = Object.values(new WebSocketPair());
              server.accept();
              const { ws, opened } = await open(url.searchParams.get("mode"), url.searchParams.get("target"));
              if (opened !== null) server.send(opened);
              ws.addEventListener("open", () => server.send("open " + ws.protocol + " " + ws.readyState));
              ws.addEventListener("message", (event) => server.send(typeof event.data === "string"
                  ? "text " + event.data : "binary " + new Uint8Array(event.data).join(",")));
              ws.addEventListener("close", (event) => server.send("close " + event.code + " " + event.reason + " " + event.wasClean));
              ws.addEventListener("error", (event) => server.send("error " + event.message));
              server.addEventListener("message", (event) => {
                const command = event.data;
                if (command.startsWith("guest-close ")) {
                  const [, code, reason] = command.split(" ");
                  ws.close(Number(code), reason);
                } else if (command.startsWith("blast ")) {
                  const chunk = "x".repeat(1 << 20);
                  for (let i = 0; i < Number(command.slice(6)); i++) ws.send(chunk);
                } else if (command === "binary") {
                  ws.send(new Uint8Array([1, 2, 3]));
                } else if (command === "reset" && state) {
                  state.abort("reset by the test");
                } else {
                  ws.send(command);
                }
              });
              return new Response(null, { status: 101, webSocket: client });
            }

            export class Dialer {
              constructor(state) { this.state = state; }
              async fetch(request) {
                const url = new URL(request.url);
                if (url.pathname.endsWith("/dial")) {
                  this.out = new WebSocket(url.searchParams.get("target"));
                  await new Promise((resolve) => this.out.addEventListener("open", resolve));
                  return new Response("open");
                }
                if (url.pathname.endsWith("/send")) {
                  this.out.send(url.searchParams.get("text"));
                  return new Response("sent");
                }
                if (url.pathname.endsWith("/hibernate")) {
                  const response = await fetch(url.searchParams.get("target").replace(/^ws/, "http"), { headers: { Upgrade: "websocket" } });
                  try {
                    this.state.acceptWebSocket(response.webSocket);
                    return new Response("accepted");
                  } catch (error) {
                    response.webSocket.accept();
                    response.webSocket.close(1000, "done");
                    return new Response(error.name + ": " + error.message);
                  }
                }
                return bridge(request, this.state);
              }
            }

            export default {
              async fetch(request, env) {
                const url = new URL(request.url);
                const target = url.searchParams.get("target");
                const object = url.pathname.match(/^\\/object\\/([^/]+)\\//);
                if (object) return env.DIALER.getByName(object[1]).fetch(request);
                if (url.pathname === "/refused") {
                  try {
                    const response = await fetch(target.replace(/^ws/, "http"), { headers: { Upgrade: "websocket" } });
                    return Response.json({ status: response.status, body: await response.text(), webSocket: response.webSocket });
                  } catch (error) {
                    return Response.json({ error: error.name, message: error.message });
                  }
                }
                if (url.pathname === "/proxy") {
                  const response = await fetch(target.replace(/^ws/, "http"), { headers: { Upgrade: "websocket" } });
                  return new Response(null, { status: 101, webSocket: response.webSocket });
                }
                if (url.pathname === "/after-subrequests") {
                  await Promise.allSettled(Array.from({ length: 1000 }, () => fetch("http://not-allowed.invalid/")));
                  const outcomes = [];
                  try { new WebSocket(target); outcomes.push("constructed"); } catch (error) { outcomes.push(error.message); }
                  try {
                    await fetch(target.replace(/^ws/, "http"), { headers: { Upgrade: "websocket" } });
                    outcomes.push("fetched");
                  } catch (error) {
                    outcomes.push(error.message);
                  }
                  return Response.json(outcomes);
                }
                if (url.pathname === "/construct-refused" || url.pathname === "/construct-close") {
                  const ws = new WebSocket(target);
                  const events = ["readyState " + ws.readyState];
                  if (url.pathname === "/construct-close") {
                    ws.close();
                    events.push("readyState " + ws.readyState);
                  }
                  try { ws.send("too early"); } catch (error) { events.push(error.name + ": " + error.message); }
                  try { ws.accept(); } catch (error) { events.push(error.name + ": " + error.message); }
                  await new Promise((resolve) => {
                    ws.addEventListener("error", (event) => events.push("error " + event.message));
                    ws.addEventListener("close", (event) => { events.push("close " + event.code + " " + event.reason + " " + event.wasClean); resolve(); });
                  });
                  return Response.json(events);
                }
                return bridge(request, null);
              }
            };
            """;

    @TempDir
    Path project;

    @TempDir
    Path data;

    private EchoWebSocketServer echo;
    private Set<Thread> threadsBefore;

    @BeforeEach
    void start() throws Exception {
        threadsBefore = Thread.getAllStackTraces().keySet();
        TestHost.writeProject(project, Map.of("wrangler.toml", WRANGLER, "worker.js", WORKER));
        echo = EchoWebSocketServer.start();
    }

    @AfterEach
    void stopAndCheckThreads() throws Exception {
        echo.close();
        Set<String> leaked = leakedThreads();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!leaked.isEmpty() && System.nanoTime() < deadline) {
            // The JDK HTTP client's selector thread ends on its own shortly after shutdownNow().
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

    private TestHost start(String allowlist) throws Exception {
        return start(allowlist, WebSocketSettings.DEFAULTS);
    }

    private TestHost start(String allowlist, WebSocketSettings limits) throws Exception {
        EgressSettings egress = (allowlist == null ? EgressSettings.DEFAULTS
                : EgressSettings.DEFAULTS.withPolicy(EgressPolicy.parse(allowlist))).withWebSockets(limits);
        return TestHost.start(project, data, TestHost.Options.defaults().withEgress(egress));
    }

    /** Connects a client to the guest's bridge at {@code path} (with query) to the echo server. */
    private WebSocketClient bridge(TestHost host, String path, String mode) {
        String query = (path.contains("?") ? "&" : "?") + "mode=" + mode + "&target="
                + URLEncoder.encode(echo.url("/echo"), StandardCharsets.UTF_8);
        return WebSocketClient.connect(host.client(), URI.create(host.webSocketUri(path) + query));
    }

    private JsonNode getJson(TestHost host, String path, String target) throws Exception {
        var response = host.get(path + "?target=" + URLEncoder.encode(target, StandardCharsets.UTF_8));
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    // ---- Opening ----------------------------------------------------------------------------------

    @Test
    void fetchUpgradeCarriesMessagesInOrder() throws Exception {
        try (TestHost host = start("127.0.0.1"); WebSocketClient client = bridge(host, "/bridge", "fetch")) {
            assertEquals("open chat", client.next());
            assertEquals("connected fetch", echo.next());

            for (int i = 0; i < 50; i++) {
                client.send("m" + i);
            }
            client.send("binary");
            for (int i = 0; i < 50; i++) {
                assertEquals("text m" + i, client.next());
            }
            assertEquals("binary 1,2,3", client.next());
            for (int i = 0; i < 50; i++) {
                assertEquals("text m" + i, echo.next());
            }
            assertEquals("binary 3", echo.next());
        }
    }

    @Test
    void constructedSocketFiresOpen() throws Exception {
        try (TestHost host = start("127.0.0.1"); WebSocketClient client = bridge(host, "/bridge", "construct")) {
            assertEquals("open chat 1", client.next());
            client.send("hello");
            assertEquals("text hello", client.next());
            assertEquals("connected null", echo.next());
            assertEquals("text hello", echo.next());
        }
    }

    @Test
    void fetchedSocketCanBeProxied() throws Exception {
        try (TestHost host = start("127.0.0.1"); WebSocketClient client = bridge(host, "/proxy", "fetch")) {
            client.send("through");
            client.sendBinary(new byte[] {4, 5});

            assertEquals("through", client.next());
            assertEquals(WebSocketClient.describeBinary(new byte[] {4, 5}), client.next());
            client.close(4003, "bye");
            assertEquals("connected null", echo.next());
            assertEquals("text through", echo.next());
            assertEquals("binary 2", echo.next());
            assertEquals("close 4003 bye", echo.next());
        }
    }

    @Test
    void refusedUpgradeGivesPlainResponse() throws Exception {
        try (TestHost host = start("127.0.0.1")) {
            JsonNode report = getJson(host, "/refused", echo.url("/elsewhere"));

            assertEquals(403, report.path("status").asInt(), report.toString());
            assertEquals("no sockets here", report.path("body").asText());
            assertTrue(report.path("webSocket").isNull(), report.toString());
        }
    }

    @Test
    void refusedConstructedSocketFiresErrorAndClose() throws Exception {
        try (TestHost host = start("127.0.0.1")) {
            JsonNode events = getJson(host, "/construct-refused", echo.url("/elsewhere"));

            assertEquals("readyState 0", events.get(0).asText());
            assertEquals("TypeError: You must call one of accept() or state.acceptWebSocket() on this WebSocket before"
                    + " sending messages.", events.get(1).asText());
            assertEquals("TypeError: Websockets obtained from the 'new WebSocket()' constructor cannot call accept",
                    events.get(2).asText());
            assertEquals("error TypeError: Failed to establish the WebSocket connection: expected server to reply with"
                    + " HTTP status code 101 (switching protocols), but received 403 instead.", events.get(3).asText());
            assertEquals("close 1006 Failed to establish websocket connection false", events.get(4).asText());
            assertEquals(5, events.size(), events.toString());
        }
    }

    @Test
    void closeBeforeOpenFiresErrorAndClose() throws Exception {
        try (TestHost host = start("127.0.0.1")) {
            JsonNode events = getJson(host, "/construct-close", echo.url("/echo"));

            assertEquals("readyState 0", events.get(0).asText());
            assertEquals("readyState 3", events.get(1).asText());
            // send() after the close drops the message without an error, so the next entry is accept()'s.
            assertEquals("TypeError: Websockets obtained from the 'new WebSocket()' constructor cannot call accept",
                    events.get(2).asText());
            assertEquals("error Error: Called close before connection was established.", events.get(3).asText());
            assertEquals("close 1006 Failed to establish websocket connection false", events.get(4).asText());
            assertEquals(5, events.size(), events.toString());
        }
    }

    @Test
    void fetchedSocketIsNotHibernatable() throws Exception {
        try (TestHost host = start("127.0.0.1")) {
            var response = host.get("/object/one/hibernate?target=" + URLEncoder.encode(echo.url("/echo"), StandardCharsets.UTF_8));

            assertEquals("Error: Cannot call `acceptWebSocket()` on this WebSocket because its pair has already been"
                    + " accepted or used in a Response.", response.body());
            assertEquals("connected null", echo.next());
            assertEquals("close 1000 done", echo.next());
        }
    }

    // ---- Egress policy ----------------------------------------------------------------------------

    @Test
    void loopbackNeedsListingByAddress() throws Exception {
        try (TestHost host = start("localhost")) {
            JsonNode fetched = getJson(host, "/refused", echo.url("/echo").replace("127.0.0.1", "localhost"));
            assertEquals("Error", fetched.path("error").asText(), fetched.toString());
            assertTrue(fetched.path("message").asText().contains("--allow-fetch"), fetched.toString());
            assertTrue(fetched.path("message").asText().startsWith("A WebSocket connection to localhost was blocked"),
                    fetched.toString());

            JsonNode constructed = getJson(host, "/construct-refused", echo.url("/echo"));
            assertTrue(constructed.get(3).asText().startsWith("error Error: A WebSocket connection to 127.0.0.1 was blocked"),
                    constructed.toString());
            assertEquals("close 1006 Failed to establish websocket connection false", constructed.get(4).asText());
        }
        assertEquals(null, echo.poll(), "the echo server must see no connection");
    }

    @Test
    void handshakeCountsAsSubrequest() throws Exception {
        try (TestHost host = start("127.0.0.1")) {
            JsonNode outcomes = getJson(host, "/after-subrequests", echo.url("/echo"));

            assertEquals(2, outcomes.size(), outcomes.toString());
            assertTrue(outcomes.get(0).asText().startsWith("Too many subrequests."), outcomes.toString());
            assertTrue(outcomes.get(1).asText().startsWith("Too many subrequests."), outcomes.toString());
        }
        assertEquals(null, echo.poll(), "the echo server must see no connection");
    }

    // ---- Closing ----------------------------------------------------------------------------------

    @Test
    void guestCloseReachesServer() throws Exception {
        try (TestHost host = start("127.0.0.1"); WebSocketClient client = bridge(host, "/bridge", "fetch")) {
            assertEquals("open chat", client.next());
            client.send("guest-close 4001 finished");

            assertEquals("connected fetch", echo.next());
            assertEquals("close 4001 finished", echo.next());
            // The server replies to the close with the same code and reason, and the guest's socket reports it.
            assertEquals("close 4001 finished true", client.next());
        }
    }

    @Test
    void serverCloseReachesGuest() throws Exception {
        try (TestHost host = start("127.0.0.1"); WebSocketClient client = bridge(host, "/bridge", "construct")) {
            assertEquals("open chat 1", client.next());
            client.send("close 4002 server-done");

            assertEquals("close 4002 server-done true", client.next());
        }
    }

    @Test
    void deadServerGivesClose1006() throws Exception {
        try (TestHost host = start("127.0.0.1"); WebSocketClient client = bridge(host, "/bridge", "fetch")) {
            assertEquals("open chat", client.next());
            client.send("die");

            assertEquals("close 1006 WebSocket disconnected without sending Close frame. false", client.next());
        }
    }

    @Test
    void objectResetClosesWith1011() throws Exception {
        try (TestHost host = start("127.0.0.1"); WebSocketClient client = bridge(host, "/object/one/bridge", "construct")) {
            assertEquals("open chat 1", client.next());
            client.send("reset");

            assertEquals("connected null", echo.next());
            assertEquals("close 1011 Durable Object reset", echo.next());
        }
    }

    @Test
    void scriptStopClosesWith1001() throws Exception {
        TestHost host = start("127.0.0.1");
        try (WebSocketClient client = bridge(host, "/object/two/bridge", "fetch")) {
            assertEquals("open chat", client.next());
            assertEquals("connected fetch", echo.next());
        } finally {
            host.close();
        }
        assertEquals("close 1001 The script was stopped.", echo.next());
    }

    // ---- Limits -----------------------------------------------------------------------------------

    @Test
    void oversizedMessageClosesWith1009() throws Exception {
        WebSocketSettings limits = new WebSocketSettings(4096, 16L << 20, 1L << 20, 0);
        try (TestHost host = start("127.0.0.1", limits); WebSocketClient client = bridge(host, "/bridge", "fetch")) {
            assertEquals("open chat", client.next());
            client.send("x".repeat(5000));

            assertEquals("close 1009 Message is too large false", client.next());
            assertEquals("connected fetch", echo.next());
            assertEquals("text " + "x".repeat(5000), echo.next());
            // The JDK's client cannot send 1009, so the server learns the reason with code 1000.
            assertEquals("close 1000 Message is too large", echo.next());
        }
    }

    @Test
    void serverThatStopsReadingIsClosedWith1008() throws Exception {
        WebSocketSettings limits = new WebSocketSettings(1L << 20, 4L << 20, 1L << 20, 0);
        try (TestHost host = start("127.0.0.1", limits); WebSocketClient client = bridge(host, "/bridge", "fetch")) {
            assertEquals("open chat", client.next());
            client.send("pause");
            assertEquals("connected fetch", echo.next());
            assertEquals("text pause", echo.next());

            // 64 MiB of text, far more than the 4 MiB send buffer and the loopback socket's buffers.
            client.send("blast 32");

            assertEquals("close 1008 The server did not read its messages fast enough. false", client.next());
        }
    }

    @Test
    void idleSocketClosesAfterTimeout() throws Exception {
        ManualTicker ticker = new ManualTicker();
        WebSocketSettings limits = new WebSocketSettings(1L << 20, 16L << 20, 1L << 20, 60_000);
        EgressSettings egress = EgressSettings.DEFAULTS.withPolicy(EgressPolicy.parse("127.0.0.1")).withWebSockets(limits);
        TestHost.Options options = TestHost.Options.defaults().withEgress(egress).withTicker(ticker);
        try (TestHost host = TestHost.start(project, data, options); WebSocketClient client = bridge(host, "/bridge", "construct")) {
            assertEquals("open chat 1", client.next());

            advance(host, ticker, Duration.ofSeconds(59));
            client.send("still here");
            assertEquals("text still here", client.next(), "a socket idle for less than the timeout stays open");
            advance(host, ticker, Duration.ofSeconds(59));
            client.send("again");
            assertEquals("text again", client.next(), "each frame starts the timeout again");

            advance(host, ticker, Duration.ofSeconds(61));
            assertEquals("close 1006 WebSocket disconnected without sending Close frame. false", client.next());
        }
    }

    @Test
    void openSocketKeepsObjectInMemory() throws Exception {
        ManualTicker ticker = new ManualTicker();
        EgressSettings egress = EgressSettings.DEFAULTS.withPolicy(EgressPolicy.parse("127.0.0.1"));
        TestHost.Options options = TestHost.Options.defaults().withEgress(egress).withTicker(ticker)
                .withIdleTimeout(Duration.ofSeconds(10));
        try (TestHost host = TestHost.start(project, data, options)) {
            assertEquals("open", host.get("/object/three/dial?target=" + URLEncoder.encode(echo.url("/echo"),
                    StandardCharsets.UTF_8)).body());

            advance(host, ticker, Duration.ofSeconds(30));
            host.runtime().evictIdleObjects();

            assertEquals(1, host.runtime().liveObjects(), "an object with an open outgoing socket is not evicted");
            assertEquals("sent", host.get("/object/three/send?text=later").body());
            assertEquals("connected null", echo.next());
            assertEquals("text later", echo.next());
        }
    }

    @Test
    void objectSocketLogUsesShortObjectLabel() throws Exception {
        try (LogCapture logs = LogCapture.of("dev.mooring.host.objects.OutboundSocket");
                TestHost host = start("127.0.0.1")) {
            assertEquals("open", host.get("/object/four/dial?target=" + URLEncoder.encode(echo.url("/echo"),
                    StandardCharsets.UTF_8)).body());
            assertEquals("connected null", echo.next());

            List<String> lines = logs.lines();
            assertTrue(lines.stream().anyMatch(line -> line.matches(".* INFO Opened outgoing WebSocket of script dialer,"
                    + " object Dialer [0-9a-f]{12}, to (ws|http)://127\\.0\\.0\\.1:[0-9]+/echo")), "socket lines: " + lines);
            for (String line : lines) {
                assertFalse(line.matches(".*[0-9a-f]{13}.*"), "a line with more of the object ID than its label: " + line);
            }
        }
    }

    /** Moves the event loops' clock and makes them look at their timers. */
    private static void advance(TestHost host, ManualTicker ticker, Duration duration) {
        ticker.advance(duration);
        host.services().loops().forEach(loop -> loop.wakeUp());
    }
}
