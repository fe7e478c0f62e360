package dev.mooring.host.scripts;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.host.RawHttp;
import dev.mooring.host.WebSocketClient;
import dev.mooring.host.cli.DeployCommand;
import dev.mooring.host.deploy.BadUploads;
import dev.mooring.host.deploy.UploadForm;
import dev.mooring.host.deploy.UploadLimits;
import dev.mooring.host.project.Project;
import dev.mooring.host.project.ProjectLoader;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The admin API of {@code mooring serve} over real sockets: uploads of the samples, which are
 * then invoked over HTTP and WebSocket; a version change under load; the token check on every
 * endpoint; and the table of bad uploads, after each of which the previous version still serves.
 */
class AdminApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    @TempDir
    Path workspace;

    @Test
    void uploadedSamplesAnswerOverHttpAndWebSocket() throws Exception {
        try (ServeHarness host = ServeHarness.start(data)) {
            HttpResponse<String> counter = deploy(host, "counter", sample("counter"), null);
            HttpResponse<String> chat = deploy(host, "chat", sample("chat"), null);
            assertEquals(201, counter.statusCode(), counter.body());
            assertEquals(201, chat.statusCode(), chat.body());

            assertEquals("1", host.get("counter", "/counter/apples/increment").body());
            assertEquals("2", host.get("counter", "/counter/apples/increment").body());
            assertTrue(host.get("chat", "/").body().contains("<html"), "the chat page is served");
            try (WebSocketClient alice = WebSocketClient.connect(host.client(), host.webSocketUri("chat", "/api/room/lobby/websocket"));
                    WebSocketClient bob = WebSocketClient.connect(host.client(), host.webSocketUri("chat", "/api/room/lobby/websocket"))) {
                alice.send("{\"name\": \"alice\"}");
                awaitFrame(alice, "\"ready\":true");
                bob.send("{\"name\": \"bob\"}");
                awaitFrame(bob, "\"ready\":true");
                alice.send("{\"message\": \"hello bob\"}");
                String received = awaitFrame(bob, "hello bob");
                assertTrue(received.contains("\"name\":\"alice\""), received);
            }

            JsonNode listed = JSON.readTree(host.admin("GET", "/scripts", null, null).body());
            assertEquals(List.of("chat", "counter"), names(listed.path("scripts")));
            JsonNode described = JSON.readTree(host.admin("GET", "/scripts/counter", null, null).body());
            assertEquals("v1", described.path("migration_tag").asText());
            assertEquals("COUNTER", described.path("bindings").path(0).path("name").asText());
            assertTrue(described.path("live_objects").asInt() >= 1, described.toString());
        }
    }

    @Test
    void describeListsVarBindings() throws Exception {
        Path project = copySample("counter");
        Files.writeString(project.resolve("wrangler.toml"), "\n[vars]\nGREETING = \"hello\"\nLIMITS = { max = 3 }\n",
                StandardOpenOption.APPEND);
        try (ServeHarness host = ServeHarness.start(data)) {
            assertEquals(201, deploy(host, "counter", project, null).statusCode());

            JsonNode bindings = JSON.readTree(host.admin("GET", "/scripts/counter", null, null).body()).path("bindings");

            assertEquals(JSON.readTree("""
                    [{"name": "COUNTER", "type": "durable_object_namespace", "class_name": "Counter"},
                     {"name": "GREETING", "type": "plain_text", "text": "hello"},
                     {"name": "LIMITS", "type": "json", "json": {"max": 3}}]"""), bindings);
        }
    }

    @Test
    void aNewCounterVersionUnderLoadLosesNoIncrement() throws Exception {
        Path second = copySample("counter");
        Path counterModule = second.resolve("src/counter.js");
        Files.writeString(counterModule, Files.readString(counterModule)
                .replace("return new Response(String(this.value));",
                        "return new Response(String(this.value), { headers: { \"x-counter-version\": \"2\" } });"));
        try (ServeHarness host = ServeHarness.start(data)) {
            assertEquals(201, deploy(host, "counter", sample("counter"), null).statusCode());
            Map<String, List<Integer>> acknowledged = new ConcurrentHashMap<>();
            Set<String> versions = ConcurrentHashMap.newKeySet();
            List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            CountDownLatch warmedUp = new CountDownLatch(4 * 40);
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                String name = "n" + (c % 4);
                clients.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 120; i++) {
                        try {
                            HttpResponse<String> response = host.get("counter", "/counter/" + name + "/increment");
                            if (response.statusCode() != 200) {
                                failures.add(response.statusCode() + " " + response.body());
                            } else {
                                acknowledged.computeIfAbsent(name, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                                        .add(Integer.parseInt(response.body()));
                                versions.add(response.headers().firstValue("x-counter-version").orElse("1"));
                            }
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                        warmedUp.countDown();
                    }
                }));
            }

            assertTrue(warmedUp.await(60, TimeUnit.SECONDS));
            HttpResponse<String> redeployed = deploy(host, "counter", second, "v1");
            for (Thread client : clients) {
                client.join(120_000);
            }

            assertEquals(200, redeployed.statusCode(), redeployed.body());
            assertEquals(List.of(), failures, "no increment failed across the version change");
            assertEquals(Set.of("1", "2"), versions, "both versions answered");
            for (Map.Entry<String, List<Integer>> entry : acknowledged.entrySet()) {
                List<Integer> values = entry.getValue();
                assertEquals(240, values.size());
                assertEquals(values.size(), new HashSet<>(values).size(), "no value was acknowledged twice");
                assertEquals("240", host.get("counter", "/counter/" + entry.getKey() + "/").body(),
                        "the count of " + entry.getKey() + " continued in version 2");
            }
        }
    }

    static Stream<Arguments> endpointsAndTokens() {
        List<Arguments> cases = new ArrayList<>();
        List<String[]> endpoints = List.of(new String[] {"GET", "/scripts"}, new String[] {"GET", "/scripts/counter"},
                new String[] {"PUT", "/scripts/counter"}, new String[] {"DELETE", "/scripts/counter"},
                new String[] {"GET", "/elsewhere"});
        for (String[] endpoint : endpoints) {
            cases.add(Arguments.of(endpoint[0], endpoint[1], null, 401));
            cases.add(Arguments.of(endpoint[0], endpoint[1], "Basic dXNlcjpwYXNz", 401));
            cases.add(Arguments.of(endpoint[0], endpoint[1], "Bearer ", 401));
            cases.add(Arguments.of(endpoint[0], endpoint[1], ServeHarness.TOKEN, 401));
            cases.add(Arguments.of(endpoint[0], endpoint[1], "Bearer wrong-token-0123456789", 403));
            cases.add(Arguments.of(endpoint[0], endpoint[1], "Bearer " + ServeHarness.TOKEN + "x", 403));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} with {2} gets {3}")
    @MethodSource("endpointsAndTokens")
    void everyEndpointRejectsAMissingOrWrongToken(String method, String path, String authorization, int status)
            throws Exception {
        try (ServeHarness host = ServeHarness.start(data)) {
            Uploads.Body body = Uploads.body("export class Counter {}", "COUNTER", "Counter",
                    "{\"new_tag\": \"v1\", \"new_classes\": [\"Counter\"]}");
            HttpRequest.Builder request = HttpRequest.newBuilder(host.adminUri(path)).timeout(Duration.ofSeconds(30))
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(body.bytes()))
                    .header("Content-Type", body.contentType());
            if (authorization != null) {
                request.header("Authorization", authorization);
            }

            HttpResponse<String> response = host.client().send(request.build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(status, response.statusCode(), response.body());
            String expected = status == 403 ? "Wrong admin token"
                    : authorization == null ? "Missing admin token"
                    : authorization.startsWith("Basic ") ? "The Authorization header does not carry a bearer token (its scheme is \"Basic\")"
                    : authorization.startsWith("Bearer") ? "The Authorization header has no token after \"Bearer\""
                    : "The Authorization header does not carry a bearer token (it has no \"Bearer \" before the token)";
            assertTrue(JSON.readTree(response.body()).path("error").asText().startsWith(expected), response.body());
            assertFalse(status == 401 && response.body().contains(ServeHarness.TOKEN), "the answer repeats the token: " + response.body());
            assertEquals(List.of(), names(JSON.readTree(host.admin("GET", "/scripts", null, null).body()).path("scripts")),
                    "nothing was deployed");
        }
    }

    @Test
    void everyBadUploadIsRejectedAndThePreviousVersionKeepsServing() throws Exception {
        try (ServeHarness host = ServeHarness.start(data)) {
            BadUploads.Upload baseline = BadUploads.baseline();
            HttpResponse<String> first = host.admin("PUT", "/scripts/" + BadUploads.SCRIPT, baseline.contentType(),
                    baseline.body());
            assertEquals(201, first.statusCode(), first.body());
            int count = Integer.parseInt(host.get(BadUploads.SCRIPT, "/").body());

            List<String> mismatches = new ArrayList<>();
            for (BadUploads.Case bad : BadUploads.cases()) {
                HttpResponse<String> response = host.admin("PUT", "/scripts/" + URLEncoder.encode(bad.scriptName(),
                        StandardCharsets.UTF_8).replace("+", "%20"), bad.contentType(), bad.body());
                String error = response.body().isEmpty() ? "" : JSON.readTree(response.body()).path("error").asText();
                if (response.statusCode() != bad.expectedStatus() || !error.contains(bad.expectedMessagePart())) {
                    mismatches.add(bad.name() + ": expected " + bad.expectedStatus() + " with \"" + bad.expectedMessagePart()
                            + "\", got " + response.statusCode() + " " + error);
                }
                HttpResponse<String> still = host.get(BadUploads.SCRIPT, "/");
                if (still.statusCode() != 200 || Integer.parseInt(still.body()) != ++count) {
                    mismatches.add(bad.name() + ": the previous version stopped serving: " + still.statusCode() + " " + still.body());
                }
            }

            assertEquals(List.of(), mismatches);
            assertTrue(BadUploads.cases().size() >= 30, "the table holds at least 30 cases");
            JsonNode described = JSON.readTree(host.admin("GET", "/scripts/" + BadUploads.SCRIPT, null, null).body());
            assertEquals(1, described.path("version").asInt(), "no bad upload became a version");
        }
    }

    @Test
    void oversizeUploadKeepsConnection() throws Exception {
        int declared = (int) UploadLimits.DEFAULT_MAX_BODY_BYTES + 4096;
        try (ServeHarness host = ServeHarness.start(data);
                Socket socket = new Socket("127.0.0.1", host.adminUri("/").getPort())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));

            out.write(("PUT /scripts/oversize HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ServeHarness.TOKEN
                    + "\r\nContent-Type: multipart/form-data; boundary=x\r\nContent-Length: " + declared + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[1000]);
            out.flush();
            String rejected = RawHttp.readResponse(in);
            out.write(new byte[declared - 1000]);
            out.write(("GET /scripts HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + ServeHarness.TOKEN + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String listed = RawHttp.readResponse(in);

            assertTrue(rejected.startsWith("HTTP/1.1 413 "), rejected);
            assertTrue(listed.startsWith("HTTP/1.1 200 "), listed);
        }
    }

    @Test
    void inspectRespondsWhileObjectSpins() throws Exception {
        String spinner = """
                export class Spinner {
                  async fetch(request) {
                    if (new URL(request.url).pathname === "/spin") { for (;;) {} }
                    return new Response("idle");
                  }
                }
                """;
        // The spin would last until the 60 s CPU limit, far past the 2 s the inspection may take.
        // Closing the host stops it, and the harness checks that the event loop ends.
        try (ServeHarness host = ServeHarness.start(data, 1, Duration.ofSeconds(60))) {
            host.registry().deploy(Uploads.parse("spinning", Uploads.body(spinner, "SPIN", "Spinner",
                    "{\"new_tag\": \"v1\", \"new_classes\": [\"Spinner\"]}")));
            assertEquals("idle", host.get("spinning", "/SPIN/a/").body());
            host.client().sendAsync(HttpRequest.newBuilder(host.scriptUri("spinning", "/SPIN/b/spin")).build(),
                    HttpResponse.BodyHandlers.discarding());
            awaitLiveObjects(host, "spinning", 2);

            HttpResponse<String> inspected = host.client().send(HttpRequest.newBuilder(host.adminUri("/scripts/spinning"))
                    .header("Authorization", "Bearer " + ServeHarness.TOKEN).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(200, inspected.statusCode(), inspected.body());
            assertEquals(2, JSON.readTree(inspected.body()).path("live_objects").asInt(), inspected.body());
        }
    }

    /** Waits until {@code script} has {@code count} objects in memory, as the admin API reports them. */
    private static void awaitLiveObjects(ServeHarness host, String script, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (host.registry().describe(script).orElseThrow().liveObjects() < count) {
            assertTrue(System.nanoTime() < deadline, "the objects of " + script + " never reached " + count);
            Thread.sleep(10);
        }
    }

    @Test
    void deletingAScriptStopsItAndAnUnknownOneIs404() throws Exception {
        try (ServeHarness host = ServeHarness.start(data)) {
            deploy(host, "counter", sample("counter"), null);
            assertEquals("1", host.get("counter", "/counter/a/increment").body());

            HttpResponse<String> deleted = host.admin("DELETE", "/scripts/counter", null, null);
            HttpResponse<String> again = host.admin("DELETE", "/scripts/counter", null, null);
            HttpResponse<String> traffic = host.get("counter", "/counter/a/increment");

            assertEquals(200, deleted.statusCode(), deleted.body());
            assertEquals(404, again.statusCode(), again.body());
            assertEquals(404, traffic.statusCode(), traffic.body());
            assertEquals(404, host.admin("GET", "/scripts/counter", null, null).statusCode());
            assertEquals(405, host.admin("POST", "/scripts/counter", null, null).statusCode());
        }
    }

    @Test
    void keptStorageOfDeletedScriptCanBeDeleted() throws Exception {
        try (ServeHarness host = ServeHarness.start(data)) {
            deploy(host, "counter", sample("counter"), null);
            assertEquals("1", host.get("counter", "/counter/a/increment").body());
            assertEquals(200, host.admin("DELETE", "/scripts/counter", null, null).statusCode());

            HttpResponse<String> purged = host.admin("DELETE", "/scripts/counter?delete_storage=true", null, null);
            HttpResponse<String> again = host.admin("DELETE", "/scripts/counter?delete_storage=true", null, null);
            deploy(host, "counter", sample("counter"), null);
            String countAfterRedeploy = host.get("counter", "/counter/a/increment").body();

            assertEquals(200, purged.statusCode(), purged.body());
            assertEquals("No version of counter was deployed; deleted the storage it had kept (1 namespace)",
                    JSON.readTree(purged.body()).path("message").asText(), purged.body());
            assertEquals(404, again.statusCode(), again.body());
            assertEquals("1", countAfterRedeploy, "the counter's old value was deleted");
        }
    }

    @Test
    void unknownScriptMessageListsDeployedScripts() throws Exception {
        try (ServeHarness host = ServeHarness.start(data)) {
            HttpResponse<String> beforeAny = host.get("chat", "/");
            deploy(host, "counter", sample("counter"), null);

            HttpResponse<String> traffic = host.get("chat", "/");
            HttpResponse<String> admin = host.admin("GET", "/scripts/chat", null, null);

            assertEquals(404, beforeAny.statusCode(), beforeAny.body());
            assertTrue(beforeAny.body().contains("No script named \"chat\" is deployed; no script is deployed yet;"
                    + " deploy one with ./mooring deploy DIR --to ADMIN_URL"), beforeAny.body());
            assertEquals(404, traffic.statusCode(), traffic.body());
            assertEquals("No script named \"chat\" is deployed; deployed scripts: counter\n", traffic.body());
            assertEquals(404, admin.statusCode(), admin.body());
            assertTrue(admin.body().contains("deployed scripts: counter"), admin.body());
            assertTrue(admin.body().endsWith("}\n"), "JSON answers end with a newline: " + admin.body());
        }
    }

    @Test
    void identicalRedeployChangesNothing() throws Exception {
        try (ServeHarness host = ServeHarness.start(data)) {
            assertEquals(201, deploy(host, "counter", sample("counter"), null).statusCode());
            assertEquals("1", host.get("counter", "/counter/apples/increment").body());

            HttpResponse<String> again = deploy(host, "counter", sample("counter"), "v1");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = DeployCommand.run(List.of(sample("counter").toString(), "--to", host.adminUri("").toString()),
                    Map.of(DeployCommand.TOKEN_VARIABLE, ServeHarness.TOKEN), new PrintStream(out, true, UTF_8),
                    new PrintStream(err, true, UTF_8));

            assertEquals(200, again.statusCode(), again.body());
            JsonNode body = JSON.readTree(again.body());
            assertTrue(body.path("unchanged").asBoolean(), again.body());
            assertEquals(1, body.path("version").asInt(), again.body());
            assertTrue(body.path("message").asText().contains("identical to version 1"), again.body());
            assertEquals(0, status, err.toString(UTF_8));
            assertTrue(out.toString(UTF_8).contains("Nothing changed: counter is identical to version 1"),
                    out.toString(UTF_8));
            JsonNode described = JSON.readTree(host.admin("GET", "/scripts/counter", null, null).body());
            assertEquals(List.of(1), JSON.convertValue(described.path("versions"), List.class));
            assertEquals("2", host.get("counter", "/counter/apples/increment").body());
        }
    }

    @Test
    void deployCommandExplainsTrafficPortAndWrongToken() throws Exception {
        try (ServeHarness host = ServeHarness.start(data)) {
            String trafficUrl = "http://127.0.0.1:" + host.port();
            ByteArrayOutputStream trafficErr = new ByteArrayOutputStream();
            int trafficStatus = DeployCommand.run(List.of(sample("counter").toString(), "--to", trafficUrl),
                    Map.of(DeployCommand.TOKEN_VARIABLE, ServeHarness.TOKEN), new PrintStream(new ByteArrayOutputStream()),
                    new PrintStream(trafficErr, true, UTF_8));
            ByteArrayOutputStream tokenErr = new ByteArrayOutputStream();
            int tokenStatus = DeployCommand.run(List.of(sample("counter").toString(), "--to",
                    host.adminUri("").toString()), Map.of(DeployCommand.TOKEN_VARIABLE, "wrong-token-0123456789"),
                    new PrintStream(new ByteArrayOutputStream()), new PrintStream(tokenErr, true, UTF_8));

            assertEquals(1, trafficStatus, trafficErr.toString(UTF_8));
            assertTrue(trafficErr.toString(UTF_8).contains(trafficUrl + " is not the admin API of ./mooring serve"),
                    trafficErr.toString(UTF_8));
            assertTrue(trafficErr.toString(UTF_8).contains("--admin-port (default 8788)"), trafficErr.toString(UTF_8));
            assertEquals(1, tokenStatus, tokenErr.toString(UTF_8));
            assertTrue(tokenErr.toString(UTF_8).contains("(HTTP 403): Wrong admin token. The server rejected the admin"
                    + " token from MOORING_ADMIN_TOKEN."), tokenErr.toString(UTF_8));
            assertTrue(tokenErr.toString(UTF_8).contains("--token-file mooring-data/admin-token"), tokenErr.toString(UTF_8));
            assertEquals(List.of(), names(JSON.readTree(host.admin("GET", "/scripts", null, null).body()).path("scripts")),
                    "nothing was deployed");
        }
    }

    // ---- Helpers --------------------------------------------------------------------------------

    private static HttpResponse<String> deploy(ServeHarness host, String script, Path project, String deployedTag)
            throws Exception {
        Project loaded = new ProjectLoader(warning -> {}).load(project);
        UploadForm.Body form = UploadForm.build(loaded, deployedTag);
        return host.admin("PUT", "/scripts/" + script, form.contentType(), form.bytes());
    }

    private static Path sample(String name) {
        return Path.of(System.getProperty("mooring.repository.dir", "..")).resolve("samples").resolve(name);
    }

    private Path copySample(String name) throws Exception {
        Path source = sample(name);
        Path target = workspace.resolve(name);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path file : files.toList()) {
                Path relative = source.relativize(file);
                if (relative.startsWith(".mooring")) {
                    continue;
                }
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target.resolve(relative.toString()));
                } else {
                    Files.copy(file, target.resolve(relative.toString()));
                }
            }
        }
        return target;
    }

    private static String awaitFrame(WebSocketClient client, String part) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            String frame = client.next();
            if (frame.contains(part)) {
                return frame;
            }
        }
        throw new AssertionError("no frame containing " + part);
    }

    private static List<String> names(JsonNode scripts) {
        List<String> names = new ArrayList<>();
        scripts.forEach(script -> names.add(script.path("name").asText()));
        return names;
    }
}
