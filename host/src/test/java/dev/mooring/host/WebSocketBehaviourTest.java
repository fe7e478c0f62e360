package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.host.config.WebSocketSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WebSockets accepted with accept(), close rules, message limits and slow clients. */
class WebSocketBehaviourTest {

    private static final String NETWORK_SOCKET = "dev.mooring.host.http.NetworkSocket";

    private static final String CONFIG = """
            name = "sockets"
            main = "worker.js"
            [durable_objects]
            bindings = [ { name = "ECHO", class_name = "Echo" } ]
            [[migrations]]
            tag = "v1"
            new_classes = ["Echo"]
            """;

    private static final String WORKER = """
            export class Echo {
              constructor(state) { this.state = state; }
              async fetch(request) {
                const url = new URL(request.url);
                if (url.pathname === "/last") return new Response((await this.state.storage.get("last")) ?? "none");
                const pair = new WebSocketPair();
                const server = pair[1];
                if (url.pathname === "/flood" || url.pathname === "/hold" || url.pathname === "/room"
                    || url.pathname === "/paced") {
                  this.state.acceptWebSocket(server, [url.pathname.slice(1)]);
                  return new Response(null, { status: 101, webSocket: pair[0] });
                }
                server.accept();
                if (url.pathname === "/ordered") {
                  // Each message holds the input gate for a moment, as code that awaits storage
                  // inside blockConcurrencyWhile() does; the messages must still arrive in order.
                  const seen = [];
                  server.addEventListener("message", async (event) => {
                    if (event.data === "report") {
                      server.send(JSON.stringify(seen.filter((n, i) => n !== i)));
                      return;
                    }
                    seen.push(Number(event.data));
                    await this.state.blockConcurrencyWhile(() => new Promise((resolve) => setTimeout(resolve, 1)));
                  });
                  return new Response(null, { status: 101, webSocket: pair[0] });
                }
                server.addEventListener("message", (event) => {
                  const text = event.data;
                  if (text === "close-long") {
                    server.close(4001, "r".repeat(200));
                  } else if (text === "bad-code") {
                    try { server.close(999); } catch (e) { server.send(e.name + ": " + e.message); }
                  } else if (text.startsWith("text ")) {
                    // Twice, so that the second send takes the frame that the host shares.
                    const reply = "0123456789".repeat(10000).slice(0, Number(text.slice(5)));
                    server.send(reply);
                    server.send(reply);
                  } else if (text.startsWith("binary ")) {
                    const bytes = new Uint8Array(Number(text.slice(7)));
                    for (let i = 0; i < bytes.length; i++) bytes[i] = i & 255;
                    server.send(bytes);
                  } else if (text === "reason-without-code") {
                    try { server.close(undefined, "why"); } catch (e) { server.send(e.name + ": " + e.message); }
                  } else {
                    server.send("echo " + text);
                  }
                });
                server.addEventListener("close", (event) => {
                  this.state.storage.put("last", "close " + event.code + " " + event.reason + " " + event.wasClean);
                });
                return new Response(null, { status: 101, webSocket: pair[0] });
              }
              async webSocketMessage(ws, message) {
                if (this.state.getTags(ws).includes("paced")) {
                  // One 64 KiB reply per request, so a reading client never has much queued.
                  ws.send("p".repeat(64 * 1024));
                  return;
                }
                if (this.state.getTags(ws).includes("room")) {
                  // Each message goes to every client, as a chat room broadcasts; the text of
                  // message i is the same string for all of them.
                  const clients = this.state.getWebSockets("room");
                  for (let i = 0; i < 500; i++) {
                    const text = "héllo ✓ " + i;
                    for (const client of clients) client.send(text);
                  }
                  return;
                }
                if (this.state.getTags(ws).includes("hold")) {
                  if (message === "hold") {
                    // Keeps the input gate closed, so the client's next messages wait in the host.
                    await this.state.blockConcurrencyWhile(() => new Promise((resolve) => setTimeout(resolve, 5000)));
                  } else if (message === "count") {
                    ws.send(String(this.received ?? 0));
                  } else if (message === "throw") {
                    throw new RangeError("handler broke");
                  } else {
                    this.received = (this.received ?? 0) + 1;
                  }
                  return;
                }
                const chunk = "x".repeat(256 * 1024);
                for (let i = 0; i < 200; i++) ws.send(chunk);
              }
              async webSocketClose(ws, code, reason, wasClean) {
                await this.state.storage.put("last", "hibernatable close " + code + " " + wasClean);
              }
            }
            """;

    @TempDir
    Path project;

    @TempDir
    Path data;

    @Test
    void acceptedSocketEchoesAndChecksClose() throws Exception {
        TestHost.writeProject(project, Map.of("wrangler.toml", CONFIG, "worker.js", WORKER));
        try (TestHost host = TestHost.start(project, data);
                WebSocketClient client = WebSocketClient.connect(host.client(), host.webSocketUri("/ECHO/a/socket"))) {
            client.send("hello");
            String echo = client.next();
            client.send("bad-code");
            String badCode = client.next();
            client.send("reason-without-code");
            String reasonWithoutCode = client.next();
            client.send("close-long");
            String closed = client.closed().get(10, TimeUnit.SECONDS);

            assertEquals("echo hello", echo);
            assertEquals("InvalidAccessError: Invalid WebSocket close code: 999.", badCode);
            assertEquals("InvalidAccessError: If you specify a WebSocket close reason, you must also specify a code.", reasonWithoutCode);
            assertEquals("4001 " + "r".repeat(123), closed, "a long close reason is cut to 123 bytes");
        }
    }

    @Test
    void framesOfEveryLengthFormArriveIntact() throws Exception {
        TestHost.writeProject(project, Map.of("wrangler.toml", CONFIG, "worker.js", WORKER));
        try (TestHost host = TestHost.start(project, data);
                WebSocketClient client = WebSocketClient.connect(host.client(), host.webSocketUri("/ECHO/a/sizes"))) {
            // A frame's length takes 7 bits up to 125 bytes, 16 bits up to 65,535 and 64 bits above.
            for (int length : new int[] {0, 1, 125, 126, 127, 65_535, 65_536, 100_000}) {
                client.send("text " + length);
                String expected = "0123456789".repeat(10_000).substring(0, length);
                assertEquals(expected, client.next(), "first text of " + length);
                assertEquals(expected, client.next(), "second text of " + length);

                client.send("binary " + length);
                byte[] bytes = new byte[length];
                for (int i = 0; i < length; i++) {
                    bytes[i] = (byte) i;
                }
                assertEquals(WebSocketClient.describeBinary(bytes), client.next(), "binary of " + length);
            }
        }
    }

    @Test
    void messagesKeepOrderAcrossClosedInputGate() throws Exception {
        TestHost.writeProject(project, Map.of("wrangler.toml", CONFIG, "worker.js", WORKER));
        try (TestHost host = TestHost.start(project, data);
                WebSocketClient client = WebSocketClient.connect(host.client(), host.webSocketUri("/ECHO/order/ordered"))) {
            for (int i = 0; i < 300; i++) {
                client.send(String.valueOf(i));
            }
            client.send("report");

            assertEquals("[]", client.next(), "messages that arrived out of their send order");
        }
    }

    @Test
    void broadcastKeepsOrderAndPingsGetPongs() throws Exception {
        TestHost.writeProject(project, Map.of("wrangler.toml", CONFIG, "worker.js", WORKER));
        try (TestHost host = TestHost.start(project, data);
                WebSocketClient first = WebSocketClient.connect(host.client(), host.webSocketUri("/ECHO/room/room"));
                WebSocketClient second = WebSocketClient.connect(host.client(), host.webSocketUri("/ECHO/room/room"));
                WebSocketClient third = WebSocketClient.connect(host.client(), host.webSocketUri("/ECHO/room/room"))) {
            String pongBefore = first.ping("before").get(10, TimeUnit.SECONDS);
            third.send("go");
            String pongDuring = second.ping("during").get(10, TimeUnit.SECONDS);
            for (WebSocketClient client : List.of(first, second, third)) {
                for (int i = 0; i < 500; i++) {
                    assertEquals("héllo ✓ " + i, client.next());
                }
            }
            String pongAfter = third.ping("after").get(10, TimeUnit.SECONDS);

            assertEquals(List.of("before", "during", "after"), List.of(pongBefore, pongDuring, pongAfter),
                    "the host sends a pong for each ping, whether or not the object is sending");
        }
    }

    @Test
    void oversizedMessageClosesWith1009() throws Exception {
        TestHost.writeProject(project, Map.of("wrangler.toml", CONFIG, "worker.js", WORKER));
        TestHost.Options options = TestHost.Options.defaults().withWebSockets(new WebSocketSettings(1024, 16L << 20, 1L << 20, 0));
        try (LogCapture logs = LogCapture.of(NETWORK_SOCKET); TestHost host = TestHost.start(project, data, options);
                WebSocketClient client = WebSocketClient.connect(host.client(), host.webSocketUri("/ECHO/big/socket"))) {
            client.send("small");
            assertEquals("echo small", client.next());
            client.send("é".repeat(512));
            assertEquals("echo " + "é".repeat(512), client.next(), "1024 bytes of UTF-8 are within the limit");

            client.send("y".repeat(4096));
            String closed = client.closed().get(10, TimeUnit.SECONDS);

            assertEquals("1009 Message is too large: the limit is 1KiB (--websocket-max-message)", closed);
            assertTrue(logs.contains(NETWORK_SOCKET, " of script sockets, Echo "), logs.lines().toString());
            assertTrue(logs.contains(NETWORK_SOCKET, " with 1009: it sent a message over 1KiB, the limit set by"
                    + " --websocket-max-message"), logs.lines().toString());
            assertEquals("close 1009 Message is too large false", host.get("/ECHO/big/last").body());
        }
    }

    @Test
    void handlerErrorLogLineNamesObject() throws Exception {
        TestHost.writeProject(project, Map.of("wrangler.toml", CONFIG, "worker.js", WORKER));
        try (LogCapture logs = LogCapture.of("mooring.script.sockets"); TestHost host = TestHost.start(project, data);
                WebSocketClient client = WebSocketClient.connect(host.client(), host.webSocketUri("/ECHO/thrower/hold"))) {
            client.send("throw");
            client.send("count");
            assertEquals("0", client.next(), "the socket stays open after the handler threw");

            Pattern line = Pattern.compile("WARN \\[Echo [0-9a-f]{12}\\] Uncaught exception in a WebSocket handler: "
                    + "RangeError: handler broke");
            assertTrue(logs.lines().stream().anyMatch(logged -> line.matcher(logged).find()), logs.lines().toString());
        }
    }

    @Test
    void oversizedBinaryOrFragmentedMessageClosesWith1009() throws Exception {
        TestHost.writeProject(project, Map.of("wrangler.toml", CONFIG, "worker.js", WORKER));
        TestHost.Options options = TestHost.Options.defaults().withWebSockets(new WebSocketSettings(1024, 16L << 20, 1L << 20, 0));
        try (TestHost host = TestHost.start(project, data, options);
                WebSocketClient binary = WebSocketClient.connect(host.client(), host.webSocketUri("/ECHO/binary/socket"));
                WebSocketClient fragmented = WebSocketClient.connect(host.client(), host.webSocketUri("/ECHO/fragments/socket"))) {
            binary.sendBinary(new byte[1025]);
            fragmented.sendFragments("a".repeat(600), "b".repeat(600));

            String reason = "1009 Message is too large: the limit is 1KiB (--websocket-max-message)";
            assertEquals(reason, binary.closed().get(10, TimeUnit.SECONDS));
            assertEquals(reason, fragmented.closed().get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void slowClientIsClosedAndHeapStaysBounded() throws Exception {
        TestHost.writeProject(project, Map.of("wrangler.toml", CONFIG, "worker.js", WORKER));
        long cap = 4L << 20;
        TestHost.Options options = TestHost.Options.defaults().withWebSockets(new WebSocketSettings(1L << 20, cap, 1L << 20, 0));
        try (TestHost host = TestHost.start(project, data, options)) {
            long heapBefore = usedHeapAfterGc();

            // On its message, the object sends 200 messages of 256 KiB (100 MiB as UTF-16 in the JVM)
            // to a client that never reads.
            WebSocketClient slow = WebSocketClient.connectWithoutReading(host.client(), host.webSocketUri("/ECHO/flood/flood"));
            slow.send("flood");
            String recorded = "none";
            for (int attempt = 0; attempt < 200 && recorded.equals("none"); attempt++) {
                recorded = host.get("/ECHO/flood/last").body();
                Thread.sleep(50);
            }
            long heapAfter = usedHeapAfterGc();
            slow.close();

            assertEquals("hibernatable close 1008 false", recorded, "the host closed the slow client");
            assertTrue(heapAfter - heapBefore < 32L << 20,
                    "heap grew by " + ((heapAfter - heapBefore) >> 20) + " MiB though only " + (cap >> 20) + " MiB may be queued");
        }
    }

    @Test
    void readingClientOutlastsSendBuffer() throws Exception {
        TestHost.writeProject(project, Map.of("wrangler.toml", CONFIG, "worker.js", WORKER));
        long cap = 1L << 20;
        TestHost.Options options = TestHost.Options.defaults().withWebSockets(new WebSocketSettings(1L << 20, cap, 1L << 20, 0));
        try (TestHost host = TestHost.start(project, data, options);
                WebSocketClient client = WebSocketClient.connect(host.client(), host.webSocketUri("/ECHO/paced/paced"))) {
            // 64 replies of 64 KiB count 8 MiB as UTF-16, eight times the buffer. Only writes that
            // the host confirms free the count, so the client stays open only if they do.
            for (int i = 0; i < 64; i++) {
                client.send("more");
                assertEquals(64 * 1024, client.next().length(), "reply " + i);
            }

            assertFalse(client.closed().isDone(), "closed: " + client.closed().getNow(""));
        }
    }

    @Test
    void fastClientIsPausedAndHeapStaysBounded() throws Exception {
        TestHost.writeProject(project, Map.of("wrangler.toml", CONFIG, "worker.js", WORKER));
        long receiveBuffer = 1L << 20;
        TestHost.Options options = TestHost.Options.defaults()
                .withWebSockets(new WebSocketSettings(1L << 20, 16L << 20, receiveBuffer, 0));
        int messages = 96;
        String chunk = "z".repeat(512 * 1024);
        try (TestHost host = TestHost.start(project, data, options);
                WebSocketClient fast = WebSocketClient.connect(host.client(), host.webSocketUri("/ECHO/hold/hold"))) {
            long heapBefore = usedHeapAfterGc();

            // The object keeps its input gate closed for 5 s while the client sends 48 MiB.
            fast.send("hold");
            AtomicInteger sent = new AtomicInteger();
            Thread sender = Thread.ofVirtual().start(() -> {
                for (int i = 0; i < messages; i++) {
                    fast.send(chunk);
                    sent.incrementAndGet();
                }
            });
            int before;
            int after = sent.get();
            do {
                before = after;
                Thread.sleep(300);
                after = sent.get();
            } while (after != before && after < messages);
            long heapWhileHeld = usedHeapAfterGc();
            int sentWhileHeld = sent.get();

            sender.join(30_000);
            fast.send("count");
            String handled = fast.next();

            assertTrue(sentWhileHeld < messages, "the client could send all " + messages + " messages while the object took none");
            assertTrue(heapWhileHeld - heapBefore < 16L << 20, "heap grew by " + ((heapWhileHeld - heapBefore) >> 20)
                    + " MiB while messages waited, though the receive buffer is " + (receiveBuffer >> 20) + " MiB");
            assertEquals(String.valueOf(messages), handled, "every message reached the object once reading resumed");
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
