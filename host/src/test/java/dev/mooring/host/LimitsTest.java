package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.runtime.StoredValues;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;

/**
 * Each per-script limit, and the request body limit, hit on a real host (Undertow on 127.0.0.1,
 * LMDB files, GraalJS). The caller gets an error that names the limit and its option, and the
 * script keeps serving afterwards. Each per-script limit also logs a line.
 *
 * <p>Every test starts its own host with one event loop, so all objects of the script share one
 * context and the live object count is exact after each request.
 */
class LimitsTest {

    private static final String OBJECT_ACTOR_LOG = "dev.mooring.host.objects.ObjectActor";
    private static final String LIVE_OBJECTS_LOG = "dev.mooring.host.objects.LiveObjects";

    @TempDir
    Path project;

    @TempDir
    Path data;

    private LogCapture log;

    @BeforeEach
    void captureLog() {
        log = LogCapture.of(Logger.ROOT_LOGGER_NAME);
    }

    @AfterEach
    void releaseLog() {
        log.close();
    }

    /** Returns the captured lines of one logger, for assertion messages. */
    private String linesOf(String loggerName) {
        return log.lines().stream().filter(line -> line.startsWith(loggerName + " ")).toList().toString();
    }

    /** Returns a wrangler.toml for script {@code name} with one Durable Object class bound as {@code OBJ}. */
    private static String config(String name, String className) {
        return """
                name = "%s"
                main = "worker.js"
                [durable_objects]
                bindings = [ { name = "OBJ", class_name = "%s" } ]
                [[migrations]]
                tag = "v1"
                new_classes = ["%s"]
                """.formatted(name, className, className);
    }

    private TestHost start(String name, String className, String worker, TestHost.Options options) throws Exception {
        TestHost.writeProject(project, Map.of("wrangler.toml", config(name, className), "worker.js", worker));
        return TestHost.start(project, data, options.withEventLoops(1));
    }

    // ---- --allocation-limit ---------------------------------------------------------------------

    private static final long ALLOCATION_LIMIT = 64L << 20;

    /** Each {@code /hoard} keeps 8 MiB arrays until it is stopped. The other paths write and read storage. */
    private static final String HOARDER = """
            let constructions = 0;
            export class Hoarder {
              constructor(state) { this.state = state; this.instance = ++constructions; this.hoard = []; }
              async fetch(request) {
                const url = new URL(request.url);
                if (url.pathname === "/hoard") {
                  for (;;) this.hoard.push(new Array(1 << 20).fill(1.5));
                }
                if (url.pathname === "/write") {
                  await this.state.storage.put("kept", url.searchParams.get("value"));
                  return new Response("written");
                }
                return new Response("kept " + (await this.state.storage.get("kept")) + " by instance " + this.instance);
              }
            }
            """;

    @Test
    void allocationLimitResetsObjectButKeepsStorage() throws Exception {
        try (TestHost host = start("limits-allocation", "Hoarder", HOARDER,
                TestHost.Options.defaults().withAllocationLimit(ALLOCATION_LIMIT))) {
            assertEquals("written", host.get("/OBJ/a/write?value=v1").body());
            assertEquals("kept v1 by instance 1", host.get("/OBJ/a/read").body());

            HttpResponse<String> stopped = host.get("/OBJ/a/hoard");

            assertEquals(503, stopped.statusCode(), stopped.body());
            Matcher message = Pattern.compile("Error: Durable Object exceeded its allocation limit of 64 MiB for one event"
                    + " \\(--allocation-limit\\) and was reset; the event had allocated (\\d+) MiB\\.\n").matcher(stopped.body());
            assertTrue(message.matches(), stopped.body());
            assertTrue(Long.parseLong(message.group(1)) >= 64, "allocated only " + message.group(1) + " MiB");
            assertTrue(log.contains(OBJECT_ACTOR_LOG, "in script limits-allocation: Durable Object exceeded its allocation limit"
                    + " of 64 MiB for one event (--allocation-limit) and was reset"), linesOf(OBJECT_ACTOR_LOG));
            assertTrue(log.contains("mooring.script.limits-allocation", "Runs at idle priority for 60 s after it was stopped at a limit"),
                    "the object is penalized: " + linesOf("mooring.script.limits-allocation"));

            HttpResponse<String> after = host.get("/OBJ/a/read");
            assertEquals(200, after.statusCode(), after.body());
            assertEquals("kept v1 by instance 2", after.body(), "a new instance serves with the stored value");
        }
    }

    /** A Worker without objects: {@code /hoard} allocates until it is stopped. */
    private static final String HOARDING_WORKER = """
            export class Unused {}
            export default {
              async fetch(request) {
                if (new URL(request.url).pathname === "/hoard") {
                  const hoard = [];
                  for (;;) hoard.push(new Array(1 << 20).fill(1.5));
                }
                return new Response("worker serving");
              }
            };
            """;

    @Test
    void allocationLimitStopsWorkerFetch() throws Exception {
        try (TestHost host = start("limits-worker-allocation", "Unused", HOARDING_WORKER,
                TestHost.Options.defaults().withAllocationLimit(ALLOCATION_LIMIT))) {
            assertEquals("worker serving", host.get("/before").body());

            HttpResponse<String> stopped = host.get("/hoard");

            assertEquals(500, stopped.statusCode(), stopped.body());
            assertEquals("Worker threw exception: Error: Worker exceeded its allocation limit of 64 MiB for one event"
                    + " (--allocation-limit).\n", stopped.body());
            String scriptLog = "mooring.script.limits-worker-allocation";
            assertTrue(log.contains(scriptLog, "past its allocation limit of 64 MiB (--allocation-limit), and was stopped"), linesOf(scriptLog));
            assertEquals("worker serving", host.get("/after").body());
        }
    }

    // ---- --max-live-objects ---------------------------------------------------------------------

    private static final int MAX_LIVE_OBJECTS = 3;

    /**
     * Each fetch counts up a stored value and names the instance (numbered in construction order
     * within the script's one context). {@code /socket} accepts a WebSocket with accept() that
     * replies to any message with the instance's number. {@code /wait} stays running until a later
     * {@code /release}. {@code /status} returns whether one is waiting.
     */
    private static final String COUNTER = """
            let constructions = 0;
            export class Counter {
              constructor(state) { this.state = state; this.instance = ++constructions; }
              async fetch(request) {
                const path = new URL(request.url).pathname;
                if (path === "/socket") {
                  const pair = new WebSocketPair();
                  const server = pair[1];
                  server.accept();
                  server.addEventListener("message", () => server.send("instance " + this.instance));
                  return new Response(null, { status: 101, webSocket: pair[0] });
                }
                if (path === "/wait") {
                  await new Promise((resolve) => { this.release = resolve; });
                  return new Response("released instance " + this.instance);
                }
                if (path === "/status") return new Response(this.release ? "waiting" : "idle");
                if (path === "/release") {
                  this.release();
                  return new Response("releasing");
                }
                const value = ((await this.state.storage.get("value")) ?? 0) + 1;
                await this.state.storage.put("value", value);
                return new Response("value " + value + " from instance " + this.instance);
              }
            }
            """;

    /** Options for the live object tests: the manual ticker never moves, so no object is evicted for being idle. */
    private static TestHost.Options liveObjectOptions() {
        return TestHost.Options.defaults().withMaxLiveObjects(MAX_LIVE_OBJECTS).withTicker(new ManualTicker());
    }

    @Test
    void liveObjectLimitEvictsLeastRecentlyUsed() throws Exception {
        try (TestHost host = start("limits-live", "Counter", COUNTER, liveObjectOptions())) {
            for (int i = 0; i < 6; i++) {
                assertEquals("value 1 from instance " + (i + 1), host.get("/OBJ/o" + i + "/").body());
                int live = host.runtime().liveObjects();
                assertEquals(Math.min(i + 1, MAX_LIVE_OBJECTS), live, "objects in memory after touching " + (i + 1));
            }

            // o0 was evicted first: it comes back as a new instance and reads its stored value.
            assertEquals("value 2 from instance 7", host.get("/OBJ/o0/").body());
            // o5, the most recently used, stayed in memory: the same instance responds.
            assertEquals("value 2 from instance 6", host.get("/OBJ/o5/").body());
            assertEquals(MAX_LIVE_OBJECTS, host.runtime().liveObjects());
        }
    }

    @Test
    void liveObjectLimitSparesBusyObjects() throws Exception {
        try (TestHost host = start("limits-live-busy", "Counter", COUNTER, liveObjectOptions());
                WebSocketClient held1 = WebSocketClient.connect(host.client(), host.webSocketUri("/OBJ/held1/socket"));
                WebSocketClient held2 = WebSocketClient.connect(host.client(), host.webSocketUri("/OBJ/held2/socket"))) {
            CompletableFuture<HttpResponse<String>> waiting = host.client().sendAsync(
                    HttpRequest.newBuilder(host.uri("/OBJ/busy/wait")).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!host.get("/OBJ/busy/status").body().equals("waiting")) {
                assertTrue(System.nanoTime() < deadline, "the /wait event did not start within 10 s");
            }
            held1.send("who");
            assertEquals("instance 1", held1.next());
            assertEquals(MAX_LIVE_OBJECTS, host.runtime().liveObjects());

            // Two objects hold an accepted WebSocket and one has an event running, so none of them
            // can be evicted: the new object takes the script over the limit.
            assertEquals("value 1 from instance 4", host.get("/OBJ/extra1/").body());
            assertEquals(MAX_LIVE_OBJECTS + 1, host.runtime().liveObjects());
            String warning = "Script limits-live-busy has 4 Durable Objects in memory, over its limit of 3"
                    + " (--max-live-objects), and none of the others can be evicted now";
            assertEquals(1, log.count(LIVE_OBJECTS_LOG, warning), linesOf(LIVE_OBJECTS_LOG));

            // The next new object evicts extra1, which is quiet, and none of the busy ones.
            assertEquals("value 1 from instance 5", host.get("/OBJ/extra2/").body());
            assertEquals(MAX_LIVE_OBJECTS + 1, host.runtime().liveObjects());
            assertEquals("releasing", host.get("/OBJ/busy/release").body());
            assertEquals("released instance 3", waiting.get(10, TimeUnit.SECONDS).body());
            assertEquals("value 1 from instance 3", host.get("/OBJ/busy/").body(), "busy keeps its instance");
            assertEquals("value 1 from instance 1", host.get("/OBJ/held1/").body(), "held1 keeps its instance");
            assertEquals("value 2 from instance 6", host.get("/OBJ/extra1/").body(), "extra1 was evicted");
            held1.send("who");
            assertEquals("instance 1", held1.next());
            assertEquals(1, log.count(LIVE_OBJECTS_LOG, warning), "the warning is logged once while over the limit");
        }
    }

    // ---- --storage-quota-per-object and --storage-quota-per-script ------------------------------

    /** {@code /put?key=K&size=N} stores N characters. Errors are returned as "Name: message" with status 200. */
    private static final String STORE = """
            export class Store {
              constructor(state) { this.storage = state.storage; }
              async fetch(request) {
                const url = new URL(request.url);
                const key = url.searchParams.get("key");
                try {
                  if (url.pathname === "/put") {
                    await this.storage.put(key, "x".repeat(Number(url.searchParams.get("size"))));
                    return new Response("stored");
                  }
                  if (url.pathname === "/delete") return new Response("deleted " + (await this.storage.delete(key)));
                  const value = await this.storage.get(key);
                  return new Response(value === undefined ? "missing" : "length " + value.length);
                } catch (e) {
                  return new Response(e.name + ": " + e.message);
                }
              }
            }
            """;

    /** Returns the bytes a quota counts for a string of {@code size} characters under {@code key}. */
    private static long storedBytes(String key, int size) {
        return key.getBytes(StandardCharsets.UTF_8).length + StoredValues.encode("x".repeat(size)).length;
    }

    private static String objectQuotaError(long resultingBytes) {
        return "Error: database or disk is full: SQLITE_FULL. This write would raise the data stored by this Durable Object to "
                + resultingBytes + " bytes, over the quota of 4KiB (--storage-quota-per-object), so nothing was written."
                + " Delete data, or raise --storage-quota-per-object.";
    }

    @Test
    void objectQuotaRejectsPutAndAllowsDelete() throws Exception {
        try (TestHost host = start("limits-object-quota", "Store", STORE,
                TestHost.Options.defaults().withStorageQuotas(4096, 1L << 30))) {
            assertEquals("stored", host.get("/OBJ/a/put?key=a&size=3000").body());

            // Growing a value past the quota keeps the old value.
            assertEquals(objectQuotaError(storedBytes("a", 4500)), host.get("/OBJ/a/put?key=a&size=4500").body());
            assertEquals("length 3000", host.get("/OBJ/a/get?key=a").body());

            // A new key past the quota is not created.
            assertEquals(objectQuotaError(storedBytes("a", 3000) + storedBytes("b", 2000)),
                    host.get("/OBJ/a/put?key=b&size=2000").body());
            assertEquals("missing", host.get("/OBJ/a/get?key=b").body());
            String scriptLog = "mooring.script.limits-object-quota";
            assertEquals(2, log.count(scriptLog, "Rejected a storage write: database or disk is full: SQLITE_FULL."),
                    linesOf(scriptLog));

            // A delete works at the quota and makes room.
            assertEquals("deleted true", host.get("/OBJ/a/delete?key=a").body());
            assertEquals("stored", host.get("/OBJ/a/put?key=b&size=2000").body());
            assertEquals("length 2000", host.get("/OBJ/a/get?key=b").body());

            // Another object has a quota of its own.
            assertEquals("stored", host.get("/OBJ/other/put?key=a&size=3000").body());
        }
    }

    @Test
    void scriptQuotaIsSharedByObjects() throws Exception {
        try (TestHost host = start("limits-script-quota", "Store", STORE,
                TestHost.Options.defaults().withStorageQuotas(1L << 20, 8192))) {
            assertEquals("stored", host.get("/OBJ/first/put?key=k&size=5000").body());

            // The second object's write is well within the object quota but takes the script past 8 KiB.
            assertEquals("Error: database or disk is full: SQLITE_FULL. This write would raise the data stored by all Durable"
                    + " Objects of script limits-script-quota to " + (storedBytes("k", 5000) + storedBytes("k", 4000))
                    + " bytes, over the quota of 8KiB (--storage-quota-per-script), so nothing was written."
                    + " Delete data, or raise --storage-quota-per-script.", host.get("/OBJ/second/put?key=k&size=4000").body());
            assertEquals("missing", host.get("/OBJ/second/get?key=k").body());
            assertTrue(log.contains("mooring.script.limits-script-quota", "Rejected a storage write: database or disk is full"),
                    linesOf("mooring.script.limits-script-quota"));

            // What is left of the script quota still fits; a delete in the first object frees room for the second.
            assertEquals("stored", host.get("/OBJ/second/put?key=k&size=3000").body());
            assertEquals("deleted true", host.get("/OBJ/first/delete?key=k").body());
            assertEquals("stored", host.get("/OBJ/second/put?key=more&size=4000").body());
            assertEquals("length 4000", host.get("/OBJ/second/get?key=more").body());
        }
    }

    // ---- --max-websockets-per-object ------------------------------------------------------------

    /**
     * {@code /accept} takes a WebSocket with accept(), {@code /hibernatable} with
     * state.acceptWebSocket(). A rejected accept is recorded in {@code /rejections}. With
     * {@code ?rethrow} the error escapes fetch(). Without it, the object tries send() on the
     * rejected end and returns the client end anyway, as code that ignores the error would.
     */
    private static final String ROOM = """
            export class Room {
              constructor(state) { this.state = state; this.rejections = []; }
              async fetch(request) {
                const url = new URL(request.url);
                if (url.pathname === "/rejections") return new Response(this.rejections.join("\\n") || "none");
                const pair = new WebSocketPair();
                const server = pair[1];
                try {
                  if (url.pathname === "/hibernatable") {
                    this.state.acceptWebSocket(server);
                  } else if (url.pathname === "/hibernatable-then-accept") {
                    try {
                      this.state.acceptWebSocket(server);
                    } catch (e) {
                      this.rejections.push(e.name + ": " + e.message);
                      server.accept();
                    }
                  } else {
                    server.accept();
                    server.addEventListener("message", (event) => server.send("echo " + event.data));
                  }
                } catch (e) {
                  this.rejections.push(e.name + ": " + e.message);
                  if (url.searchParams.has("rethrow")) throw e;
                  try {
                    server.send("after the rejection");
                    this.rejections.push("send() after the rejection went through");
                  } catch (sendError) {
                    this.rejections.push("send() after the rejection threw " + sendError.name);
                  }
                }
                return new Response(null, { status: 101, webSocket: pair[0] });
              }
              webSocketMessage(ws, message) { ws.send("hibernatable echo " + message); }
            }
            """;

    private static final String WEBSOCKET_REJECTION = "Error: only 2 websockets can be accepted on a single Durable Object"
            + " instance (limit set by --max-websockets-per-object)";

    @Test
    void webSocketLimitRejectsThirdSocket() throws Exception {
        try (TestHost host = start("limits-websockets", "Room", ROOM, TestHost.Options.defaults().withMaxWebSocketsPerObject(2));
                WebSocketClient accepted = WebSocketClient.connect(host.client(), host.webSocketUri("/OBJ/a/accept"));
                WebSocketClient hibernatable = WebSocketClient.connect(host.client(), host.webSocketUri("/OBJ/a/hibernatable"))) {
            accepted.send("one");
            assertEquals("echo one", accepted.next());
            hibernatable.send("two");
            assertEquals("hibernatable echo two", hibernatable.next());

            // Code that ignores the error still hands out the client end: the client gets 101, then a close.
            try (WebSocketClient rejected = WebSocketClient.connect(host.client(), host.webSocketUri("/OBJ/a/accept"))) {
                assertEquals("1013 Too many WebSockets on this Durable Object", rejected.closed().get(10, TimeUnit.SECONDS));
            }
            // Code that lets the error escape fails the upgrade request.
            CompletionException failed = assertThrows(CompletionException.class,
                    () -> WebSocketClient.connect(host.client(), host.webSocketUri("/OBJ/a/hibernatable?rethrow")));
            WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class, failed.getCause());
            assertEquals(500, handshake.getResponse().statusCode());

            // A socket that acceptWebSocket() refused keeps its state, so accept() meets the same limit
            // instead of "already accepted via acceptWebSocket()".
            try (WebSocketClient refusedTwice = WebSocketClient.connect(host.client(),
                    host.webSocketUri("/OBJ/a/hibernatable-then-accept"))) {
                assertEquals("1013 Too many WebSockets on this Durable Object", refusedTwice.closed().get(10, TimeUnit.SECONDS));
            }

            assertEquals(WEBSOCKET_REJECTION + "\nsend() after the rejection threw TypeError\n" + WEBSOCKET_REJECTION
                    + "\n" + WEBSOCKET_REJECTION + "\n" + WEBSOCKET_REJECTION + "\nsend() after the rejection threw TypeError",
                    host.get("/OBJ/a/rejections").body());
            assertEquals(4, log.count("mooring.script.limits-websockets",
                    "Rejected a WebSocket: the object already has 2 open WebSockets, the limit set by --max-websockets-per-object"),
                    linesOf("mooring.script.limits-websockets"));

            // The two sockets within the limit keep working, and another object has a limit of its own.
            accepted.send("three");
            assertEquals("echo three", accepted.next());
            hibernatable.send("four");
            assertEquals("hibernatable echo four", hibernatable.next());
            try (WebSocketClient elsewhere = WebSocketClient.connect(host.client(), host.webSocketUri("/OBJ/b/accept"))) {
                elsewhere.send("five");
                assertEquals("echo five", elsewhere.next());
            }
            assertEquals("none", host.get("/OBJ/b/rejections").body());
        }
    }

    // ---- --max-request-body ---------------------------------------------------------------------

    private static final String SINK = """
            export class Sink {
              async fetch(request) {
                return new Response("received " + (await request.arrayBuffer()).byteLength);
              }
            }
            """;

    private static HttpResponse<String> post(TestHost host, HttpRequest.BodyPublisher body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(host.uri("/OBJ/a/upload"))
                .timeout(Duration.ofSeconds(30))
                .POST(body)
                .build();
        return host.client().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void requestBodyLimitReturns413() throws Exception {
        try (TestHost host = start("limits-body", "Sink", SINK, TestHost.Options.defaults().withMaxRequestBody(1024))) {
            assertEquals("received 1024", post(host, HttpRequest.BodyPublishers.ofByteArray(new byte[1024])).body());

            HttpResponse<String> tooLarge = post(host, HttpRequest.BodyPublishers.ofByteArray(new byte[1025]));
            assertEquals(413, tooLarge.statusCode(), tooLarge.body());
            assertEquals("Request body too large; the limit is 1024 bytes (--max-request-body)\n", tooLarge.body());

            assertEquals("received 1000", post(host, HttpRequest.BodyPublishers.ofByteArray(new byte[1000])).body());
        }
    }

    @Test
    void fixedLengthBodyOverLimitKeepsConnection() throws Exception {
        try (TestHost host = start("limits-fixed", "Sink", SINK, TestHost.Options.defaults().withMaxRequestBody(1024));
                Socket socket = new Socket("127.0.0.1", host.uri("/").getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));

            out.write(("POST /OBJ/a/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4096\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[1000]);
            out.flush();
            String rejected = RawHttp.readResponse(in);
            out.write(new byte[4096 - 1000]);
            out.write("POST /OBJ/a/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\n\r\nhello"
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String accepted = RawHttp.readResponse(in);

            assertTrue(rejected.startsWith("HTTP/1.1 413 "), rejected);
            assertTrue(accepted.startsWith("HTTP/1.1 200 "), accepted);
            assertTrue(accepted.endsWith("received 5"), accepted);
        }
    }

    /** Parses a multipart upload and responds with the field, the file's name and size, and a checksum of its bytes. */
    private static final String FORM_READER = """
            export class Sink {
              async fetch(request) {
                const form = await request.formData();
                const file = form.get("file");
                const bytes = await file.bytes();
                let checksum = 0;
                for (let i = 0; i < bytes.length; i += 4096) {
                  checksum += bytes[i];
                }
                return new Response(form.get("field") + " " + file.name + " " + file.size + " " + checksum);
              }
            }
            """;

    @Test
    void threeMebibyteFormFitsAllocationLimit() throws Exception {
        try (TestHost host = start("limits-form", "Sink", FORM_READER, TestHost.Options.defaults().withAllocationLimit(128L << 20))) {
            // Scanning for the boundary in JS, interpreted, cost about 60 bytes of garbage per byte,
            // so an upload of 2 MiB or more went past the limit.
            byte[] file = new byte[3 << 20];
            new java.util.Random(7).nextBytes(file);
            long checksum = 0;
            for (int i = 0; i < file.length; i += 4096) {
                checksum += file[i] & 0xff;
            }
            java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
            body.writeBytes(("--b0undary\r\nContent-Disposition: form-data; name=\"field\"\r\n\r\nvalue\r\n"
                    + "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"random.bin\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(file);
            body.writeBytes("\r\n--b0undary--\r\n".getBytes(StandardCharsets.UTF_8));

            HttpResponse<String> response = host.client().send(HttpRequest.newBuilder(host.uri("/OBJ/a/upload"))
                    .timeout(Duration.ofSeconds(60))
                    .header("content-type", "multipart/form-data; boundary=b0undary")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertEquals("value random.bin " + file.length + " " + checksum, response.body(), "status " + response.statusCode());
        }
    }

    @Test
    void expectContinueGetsInterimResponse() throws Exception {
        try (TestHost host = start("limits-continue", "Sink", SINK, TestHost.Options.defaults().withMaxRequestBody(1024));
                Socket socket = new Socket("127.0.0.1", host.uri("/").getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));

            out.write(("POST /OBJ/a/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String interim = in.readLine();
            String blankLine = in.readLine();
            out.write("hello".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String accepted = RawHttp.readResponse(in);

            out.write(("POST /OBJ/a/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nExpect: 100-continue\r\nContent-Length: 4096\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String rejected = RawHttp.readResponse(in);

            assertEquals("HTTP/1.1 100 Continue", interim);
            assertEquals("", blankLine);
            assertTrue(accepted.startsWith("HTTP/1.1 200 "), accepted);
            assertTrue(accepted.endsWith("received 5"), accepted);
            assertTrue(rejected.startsWith("HTTP/1.1 413 "), "no 100 Continue for a body over the limit: " + rejected);
        }
    }

    @Test
    void bodiesOverTwoMebibytesAreRead() throws Exception {
        try (TestHost host = start("limits-large-body", "Sink", SINK, TestHost.Options.defaults())) {
            int size = 3 << 20;

            HttpResponse<String> fixedLength = post(host, HttpRequest.BodyPublishers.ofByteArray(new byte[size]));
            HttpResponse<String> chunked = post(host, chunked(size));

            assertEquals("received " + size, fixedLength.body(), "status " + fixedLength.statusCode());
            assertEquals("received " + size, chunked.body(), "status " + chunked.statusCode());
        }
    }

    @Test
    void chunkedBodyLimitReturns413() throws Exception {
        try (TestHost host = start("limits-chunked", "Sink", SINK, TestHost.Options.defaults().withMaxRequestBody(1024))) {
            assertEquals("received 1024", post(host, chunked(1024)).body(), "a chunked body up to the limit is read");

            HttpResponse<String> justOver = post(host, chunked(1025));
            assertEquals(413, justOver.statusCode(), justOver.body());
            assertEquals("Request body too large; the limit is 1024 bytes (--max-request-body)\n", justOver.body());

            HttpResponse<String> far = post(host, chunked(8 << 20));
            assertEquals(413, far.statusCode(), "a body far past the limit is refused without reading it all");

            assertEquals("received 1000", post(host, chunked(1000)).body(), "the host keeps serving");
        }
    }

    /** A body of {@code size} bytes sent without a Content-Length, so HTTP/1.1 chunks it. */
    private static HttpRequest.BodyPublisher chunked(int size) {
        return HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[size]));
    }
}
