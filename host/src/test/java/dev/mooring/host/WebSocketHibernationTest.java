package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hibernatable WebSockets stay connected while their object is evicted; the next message
 * re-creates the object, which sees the socket with its attachment and tags.
 */
class WebSocketHibernationTest {

    private static final String CONFIG = """
            name = "hibernation"
            main = "worker.js"
            [durable_objects]
            bindings = [ { name = "ROOM", class_name = "Room" } ]
            [[migrations]]
            tag = "v1"
            new_classes = ["Room"]
            """;

    private static final String WORKER = """
            let instances = 0;
            export class Room {
              constructor(state) {
                this.state = state;
                this.instance = ++instances;
                this.seenAtStart = state.getWebSockets().length;
              }
              async fetch(request) {
                const path = new URL(request.url).pathname;
                if (path === "/last-close") return new Response((await this.state.storage.get("lastClose")) ?? "none");
                const pair = new WebSocketPair();
                this.state.acceptWebSocket(pair[1], ["room", "alice"]);
                pair[1].serializeAttachment({ name: "alice" });
                this.state.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
                return new Response(null, { status: 101, webSocket: pair[0] });
              }
              webSocketMessage(ws, message) {
                const sockets = this.state.getWebSockets("room");
                ws.send(JSON.stringify({
                  instance: this.instance,
                  seenAtStart: this.seenAtStart,
                  attachment: ws.deserializeAttachment(),
                  tags: this.state.getTags(ws),
                  count: sockets.length,
                  same: ws === this.state.getWebSockets()[0],
                  message: typeof message === "string" ? message : "binary " + message.byteLength,
                  autoResponded: this.state.getWebSocketAutoResponseTimestamp(ws) !== null,
                  autoResponse: [this.state.getWebSocketAutoResponse()].map((pair) => pair && pair.request + "/" + pair.response)[0],
                }));
              }
              async webSocketClose(ws, code, reason, wasClean) {
                await this.state.storage.put("lastClose", [code, reason, wasClean, JSON.stringify(ws.deserializeAttachment()),
                  JSON.stringify(this.state.getTags(ws)), this.instance].join(" "));
              }
            }
            """;

    @TempDir
    Path project;

    @TempDir
    Path data;

    @Test
    void socketSurvivesEvictionWithAttachment() throws Exception {
        TestHost.writeProject(project, Map.of("wrangler.toml", CONFIG, "worker.js", WORKER));
        ManualTicker ticker = new ManualTicker();
        try (TestHost host = TestHost.start(project, data, TestHost.Options.defaults().withTicker(ticker));
                WebSocketClient client = WebSocketClient.connect(host.client(), host.webSocketUri("/ROOM/lobby/connect"))) {
            client.send("hi");
            String before = client.next();

            evictOnceQuiet(host, ticker);
            int liveWhileHibernating = host.runtime().liveObjects();
            client.send("ping");
            String autoResponse = client.next();
            int liveAfterPing = host.runtime().liveObjects();
            client.send("hi again");
            String after = client.next();
            client.sendBinary(new byte[] {1, 2, 3});
            String binary = client.next();

            assertEquals("{\"instance\":1,\"seenAtStart\":0,\"attachment\":{\"name\":\"alice\"},\"tags\":[\"room\",\"alice\"],"
                    + "\"count\":1,\"same\":true,\"message\":\"hi\",\"autoResponded\":false,\"autoResponse\":\"ping/pong\"}", before);
            assertEquals(0, liveWhileHibernating, "the object left memory while its socket stayed connected");
            assertEquals("pong", autoResponse);
            assertEquals(0, liveAfterPing, "an auto-response does not wake the object");
            assertEquals("{\"instance\":2,\"seenAtStart\":1,\"attachment\":{\"name\":\"alice\"},\"tags\":[\"room\",\"alice\"],"
                    + "\"count\":1,\"same\":true,\"message\":\"hi again\",\"autoResponded\":true,"
                    + "\"autoResponse\":\"ping/pong\"}", after);
            assertTrue(binary.contains("\"message\":\"binary 3\""), binary);
        }
    }

    /**
     * The reply reaches the client while the message event is still finishing on its loop, so
     * the object may not be quiet yet; advance the clock past the idle timeout until it is.
     */
    private static void evictOnceQuiet(TestHost host, ManualTicker ticker) throws InterruptedException {
        for (int attempt = 0; attempt < 200 && host.runtime().liveObjects() > 0; attempt++) {
            ticker.advance(Duration.ofSeconds(11));
            if (host.runtime().evictIdleObjects() == 0) {
                Thread.sleep(10);
            }
        }
    }

    @Test
    void clientCloseReachesHandler() throws Exception {
        TestHost.writeProject(project, Map.of("wrangler.toml", CONFIG, "worker.js", WORKER));
        try (TestHost host = TestHost.start(project, data);
                WebSocketClient client = WebSocketClient.connect(host.client(), host.webSocketUri("/ROOM/closing/connect"))) {
            client.send("hi");
            client.next();

            client.close(4000, "bye");
            String echoed = client.closed().get(10, TimeUnit.SECONDS);
            String recorded = awaitLastClose(host, "/ROOM/closing/last-close");

            assertEquals("4000 ", echoed, "the host answers the close frame with the client's code");
            assertEquals("4000 bye true {\"name\":\"alice\"} [\"room\",\"alice\"] 1", recorded);
        }
    }

    @Test
    void closeAfterEvictionSeesAttachmentAndTags() throws Exception {
        TestHost.writeProject(project, Map.of("wrangler.toml", CONFIG, "worker.js", WORKER));
        ManualTicker ticker = new ManualTicker();
        try (TestHost host = TestHost.start(project, data, TestHost.Options.defaults().withTicker(ticker));
                WebSocketClient client = WebSocketClient.connect(host.client(), host.webSocketUri("/ROOM/leaving/connect"))) {
            client.send("hi");
            client.next();
            evictOnceQuiet(host, ticker);

            client.close(1000, "gone");
            client.closed().get(10, TimeUnit.SECONDS);
            String recorded = awaitLastClose(host, "/ROOM/leaving/last-close");

            assertEquals("1000 gone true {\"name\":\"alice\"} [\"room\",\"alice\"] 2", recorded);
        }
    }

    /** Polls the object's record of the last close until its webSocketClose() has stored one. */
    private static String awaitLastClose(TestHost host, String path) throws Exception {
        String recorded = "none";
        for (int attempt = 0; attempt < 100 && recorded.equals("none"); attempt++) {
            recorded = host.get(path).body();
            Thread.sleep(50);
        }
        return recorded;
    }
}
