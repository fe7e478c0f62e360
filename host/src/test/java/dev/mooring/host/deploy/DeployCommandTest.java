package dev.mooring.host.deploy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mooring.host.cli.DeployCommand;
import dev.mooring.host.project.Migration;
import dev.mooring.host.project.Project;
import dev.mooring.host.project.ProjectLoader;
import dev.mooring.host.project.ScriptDefinition;
import dev.mooring.host.project.StorageKind;
import dev.mooring.sandbox.ModuleBundle.Module;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mooring deploy} against a JDK HTTP server on 127.0.0.1 that records each request: the
 * upload it sends parses back, with {@link ScriptUpload#parse}, into the project's own definition.
 */
class DeployCommandTest {

    private static final String TOKEN = "test-admin-token";

    /** One request the server received. */
    private record Received(String method, String path, String authorization, String contentType, byte[] body) {}

    /** A response of the server, to GET or to PUT. */
    private record CannedResponse(int status, String body, String contentType) {
        CannedResponse(int status, String body) {
            this(status, body, "application/json");
        }
    }

    @TempDir
    Path temporary;

    private HttpServer server;
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private volatile CannedResponse scriptResponse = new CannedResponse(404, "{\"error\": \"no such script\"}");
    private volatile CannedResponse uploadResponse = new CannedResponse(200, "{\"ok\": true, \"warnings\": []}");
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::record);
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private void record(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestHeaders().getFirst("Authorization"), exchange.getRequestHeaders().getFirst("Content-Type"),
                body));
        CannedResponse canned = exchange.getRequestMethod().equals("PUT") ? uploadResponse : scriptResponse;
        byte[] responseBody = canned.body().getBytes(UTF_8);
        exchange.getResponseHeaders().set("Content-Type", canned.contentType());
        exchange.sendResponseHeaders(canned.status(), responseBody.length);
        exchange.getResponseBody().write(responseBody);
        exchange.close();
    }

    private String adminUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private int deploy(Map<String, String> environment, String... arguments) {
        return DeployCommand.run(List.of(arguments), environment, new PrintStream(out, true, UTF_8),
                new PrintStream(err, true, UTF_8));
    }

    private int deploy(Path project, String... options) {
        List<String> arguments = new ArrayList<>(List.of(project.toString(), "--to", adminUrl()));
        arguments.addAll(List.of(options));
        return deploy(Map.of(DeployCommand.TOKEN_VARIABLE, TOKEN), arguments.toArray(String[]::new));
    }

    private static Path sample(String name) {
        String repository = System.getProperty("mooring.repository.dir");
        assertTrue(repository != null, "System property mooring.repository.dir is not set; run the tests through Maven");
        return Path.of(repository, "samples", name);
    }

    private Received upload() {
        List<Received> puts = received.stream().filter(request -> request.method().equals("PUT")).toList();
        assertEquals(1, puts.size(), "PUT requests: " + received);
        return puts.get(0);
    }

    private String errText() {
        return err.toString(UTF_8);
    }

    /** Checks that {@code upload}, as the script's first version, runs what {@code project} runs. */
    private static void assertSameScript(Project project, ScriptUpload upload) throws UploadException {
        ScriptDefinition expected = project.definition();
        ScriptDefinition actual = upload.definition();
        assertEquals(expected.name(), actual.name());
        assertEquals(expected.compatibilityDate(), actual.compatibilityDate());
        assertEquals(expected.vars(), actual.vars());
        assertEquals(expected.durableObjectBindings(), actual.durableObjectBindings());
        assertEquals(expected.classStorageKinds(), actual.classStorageKinds());
        assertEquals(expected.bundle().mainModule(), actual.bundle().mainModule());
        assertEquals(List.copyOf(expected.bundle().modules().keySet()), List.copyOf(actual.bundle().modules().keySet()));
        for (Module module : expected.bundle().modules().values()) {
            Module uploaded = actual.bundle().modules().get(module.name());
            assertEquals(module.type(), uploaded.type(), module.name());
            assertArrayEquals(module.content(), uploaded.content(), module.name());
        }
        assertEquals(project.compatibilityFlags(), upload.compatibilityFlags());
        assertEquals(List.of(), upload.warnings());
    }

    /** Returns each migration's changes without its tag, which uploaded steps do not carry. */
    private static List<List<Object>> stepContents(List<Migration> migrations) {
        return migrations.stream().map(migration -> List.<Object>of(migration.newClasses(), migration.newSqliteClasses(),
                migration.renamedClasses(), migration.deletedClasses())).toList();
    }

    @Test
    void unreachableServerIsReportedInWords() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }

        int status = deploy(Map.of(DeployCommand.TOKEN_VARIABLE, TOKEN), sample("counter").toString(), "--to",
                "http://127.0.0.1:" + closedPort);

        assertEquals(1, status, errText());
        assertTrue(errText().contains("cannot reach the admin API at http://127.0.0.1:" + closedPort
                + "/scripts/counter: connection refused; check --to"), errText());
    }

    // ---- Round trips ------------------------------------------------------------------------------

    @Test
    void counterSampleRoundTrips() throws Exception {
        Project project = new ProjectLoader(warning -> {}).load(sample("counter"));

        int status = deploy(sample("counter"));

        assertEquals(0, status, errText());
        assertEquals(List.of("GET", "PUT"), received.stream().map(Received::method).toList());
        Received upload = upload();
        assertEquals("/scripts/counter", upload.path());
        assertEquals("Bearer " + TOKEN, upload.authorization());
        ScriptUpload parsed = ScriptUpload.parse("counter", upload.contentType(), upload.body(), UploadLimits.DEFAULTS);
        assertSameScript(project, parsed);
        assertEquals(stepContents(project.migrations()), stepContents(parsed.migrations()));
        assertEquals(new ScriptUpload.MigrationTags(null, "v1"), parsed.migrationTags());
        String printed = out.toString(UTF_8);
        assertTrue(printed.contains("Deployed counter to " + adminUrl() + "/scripts/counter (HTTP 200)"), printed);
        assertTrue(printed.contains("{\"ok\": true, \"warnings\": []}"), printed);
    }

    @Test
    void chatSampleRoundTrips() throws Exception {
        Project project = new ProjectLoader(warning -> {}).load(sample("chat"));

        int status = deploy(sample("chat"));

        assertEquals(0, status, errText());
        ScriptUpload parsed = ScriptUpload.parse("chat", upload().contentType(), upload().body(), UploadLimits.DEFAULTS);
        assertSameScript(project, parsed);
        assertEquals(Map.of("ChatRoom", StorageKind.SQLITE, "RateLimiter", StorageKind.SQLITE),
                parsed.definition().classStorageKinds());
        assertEquals(stepContents(project.migrations()), stepContents(parsed.migrations()));
    }

    @Test
    void deployedTagSendsOnlyLaterMigrations() throws Exception {
        Path project = writeProject("""
                name = "tally"
                main = "worker.js"
                [vars]
                GREETING = "hello"
                LIMITS = { max = 10, ratio = 0.5 }
                [durable_objects]
                bindings = [ { name = "TALLY", class_name = "Tally" } ]
                [[migrations]]
                tag = "v1"
                new_classes = ["Counter", "Old"]
                [[migrations]]
                tag = "v2"
                renamed_classes = [ { from = "Counter", to = "Tally" } ]
                deleted_classes = ["Old"]
                [[migrations]]
                tag = "v3"
                new_sqlite_classes = ["Audit"]
                """);
        scriptResponse = new CannedResponse(200, "{\"name\": \"tally\", \"migration_tag\": \"v1\"}");
        Project loaded = new ProjectLoader(warning -> {}).load(project);

        int status = deploy(project);

        assertEquals(0, status, errText());
        ScriptUpload parsed = ScriptUpload.parse("tally", upload().contentType(), upload().body(), UploadLimits.DEFAULTS);
        assertEquals(new ScriptUpload.MigrationTags("v1", "v3"), parsed.migrationTags());
        assertEquals(stepContents(loaded.migrations().subList(1, 3)), stepContents(parsed.migrations()));
        MigrationResult result = parsed.migrate(new DeployedClasses("v1",
                Map.of("Counter", StorageKind.KEY_VALUE, "Old", StorageKind.KEY_VALUE)));
        assertEquals(new DeployedClasses("v3", loaded.classStorageKinds()), result.classes());
        assertEquals(loaded.vars(), parsed.vars());
    }

    @Test
    void currentTagSendsNoMigrations() throws Exception {
        scriptResponse = new CannedResponse(200, "{\"migration_tag\": \"v1\"}");

        int status = deploy(sample("counter"));

        assertEquals(0, status, errText());
        ScriptUpload parsed = ScriptUpload.parse("counter", upload().contentType(), upload().body(), UploadLimits.DEFAULTS);
        assertFalse(parsed.hasMigrations());
        DeployedClasses deployed = new DeployedClasses("v1", Map.of("Counter", StorageKind.KEY_VALUE));
        assertEquals(deployed, parsed.migrate(deployed).classes());
    }

    @Test
    void projectWithoutMigrationsSendsNone() throws Exception {
        Path project = writeProject("""
                name = "plain"
                main = "worker.js"
                """);
        scriptResponse = new CannedResponse(200, "{\"migration_tag\": \"v4\"}");

        int status = deploy(project);

        assertEquals(0, status, errText());
        ScriptUpload parsed = ScriptUpload.parse("plain", upload().contentType(), upload().body(), UploadLimits.DEFAULTS);
        assertFalse(parsed.hasMigrations());
    }

    // ---- Failures ---------------------------------------------------------------------------------

    @Test
    void unknownDeployedTagStopsBeforeUpload() {
        scriptResponse = new CannedResponse(200, "{\"migration_tag\": \"v9\"}");

        int status = deploy(sample("counter"));

        assertEquals(1, status);
        assertTrue(errText().contains("Script \"counter\" is deployed with migration tag \"v9\", which the [[migrations]] "
                + "of "), errText());
        assertTrue(errText().contains("(they list \"v1\")"), errText());
        assertEquals(List.of("GET"), received.stream().map(Received::method).toList());
    }

    @Test
    void rejectedUploadPrintsServerMessage() {
        uploadResponse = new CannedResponse(400, "{\"error\": \"Syntax error in worker.js at line 3, column 25: Expected an operand\"}");

        int status = deploy(sample("counter"));

        assertEquals(1, status);
        assertTrue(errText().contains("rejected the upload of counter (HTTP 400): Syntax error in worker.js at line 3, "
                + "column 25: Expected an operand"), errText());
    }

    @Test
    void rejectedTokenStopsBeforeUpload() {
        scriptResponse = new CannedResponse(401, "invalid admin token");

        int status = deploy(sample("counter"));

        assertEquals(1, status);
        assertTrue(errText().contains("failed (HTTP 401): invalid admin token"), errText());
        assertEquals(List.of("GET"), received.stream().map(Received::method).toList());
    }

    @Test
    void scriptsPathInUrlIsUsageError() {
        int status = deploy(Map.of(DeployCommand.TOKEN_VARIABLE, TOKEN), sample("counter").toString(), "--to",
                adminUrl() + "/scripts");

        assertEquals(2, status);
        assertTrue(errText().contains("give the admin API's base URL without /scripts, such as " + adminUrl()
                + "; deploy adds /scripts/NAME itself"), errText());
        assertEquals(List.of(), received);
    }

    @Test
    void tlsAnswerNamesHttpsPort() throws Exception {
        try (ServerSocket tls = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            Thread.ofVirtual().start(() -> {
                try (Socket client = tls.accept()) {
                    client.getInputStream().read(new byte[1024]);
                    // A TLS alert record (handshake failure), as an HTTPS listener sends to plain HTTP.
                    client.getOutputStream().write(new byte[] {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28});
                } catch (IOException e) {
                    // The client may close first, and the test checks only what deploy printed.
                }
            });

            int status = deploy(Map.of(DeployCommand.TOKEN_VARIABLE, TOKEN), sample("counter").toString(), "--to",
                    "http://127.0.0.1:" + tls.getLocalPort());

            assertEquals(1, status);
            assertTrue(errText().contains("the server did not answer in HTTP/1.1, as an HTTPS port (such as --https-port)"
                    + " answers a plain HTTP request"), errText());
        }
    }

    @Test
    void trafficPortResponseNamesAdminPort() {
        scriptResponse = new CannedResponse(404, "No script answers here. Deployed scripts answer at "
                + "http://NAME.localhost:PORT/\n", "text/plain;charset=UTF-8");

        int status = deploy(sample("counter"));

        assertEquals(1, status);
        assertTrue(errText().contains("mooring: " + adminUrl() + " is not the admin API of ./mooring serve: GET "
                + adminUrl() + "/scripts/counter got HTTP 404 with Content-Type text/plain;charset=UTF-8"), errText());
        assertTrue(errText().contains("--to probably names the traffic port (--port, default 8787)"), errText());
        assertTrue(errText().contains("which ./mooring serve sets with --admin-port (default 8788), e.g. --to "
                + "http://127.0.0.1:8788."), errText());
        assertTrue(errText().contains("Its response was: No script answers here."), errText());
        assertEquals(List.of("GET"), received.stream().map(Received::method).toList());
    }

    @Test
    void forbiddenTokenSaysWhereServerTokenIs() {
        scriptResponse = new CannedResponse(403, "{\"error\": \"Wrong admin token\"}");

        int status = deploy(sample("counter"));

        assertEquals(1, status);
        assertTrue(errText().contains("failed (HTTP 403): Wrong admin token. The server rejected the admin token from "
                + "MOORING_ADMIN_TOKEN."), errText());
        assertTrue(errText().contains("else the file admin-token in its data folder (--data, default mooring-data)"),
                errText());
        assertTrue(errText().contains("Pass that file with --token-file, e.g. --token-file "
                + Path.of("mooring-data", "admin-token")), errText());
        assertEquals(List.of("GET"), received.stream().map(Received::method).toList());
    }

    @Test
    void forbiddenTokenNamesTokenFile() throws Exception {
        Path tokenFile = temporary.resolve("token");
        Files.writeString(tokenFile, "stale-token\n");
        scriptResponse = new CannedResponse(403, "{\"error\": \"Wrong admin token\"}");

        int status = deploy(sample("counter"), "--token-file", tokenFile.toString());

        assertEquals(1, status);
        assertTrue(errText().contains("The server rejected the admin token from the token file "
                + tokenFile.toAbsolutePath() + "."), errText());
        assertFalse(errText().contains("stale-token"), "the message does not show the token: " + errText());
    }

    @Test
    void unchangedUploadIsReported() {
        scriptResponse = new CannedResponse(200, "{\"migration_tag\": \"v1\"}");
        uploadResponse = new CannedResponse(200, "{\"name\": \"counter\", \"version\": 3, \"unchanged\": true}");

        int status = deploy(sample("counter"));

        assertEquals(0, status, errText());
        String printed = out.toString(UTF_8);
        assertTrue(printed.contains("Nothing changed: counter is identical to version 3 at " + adminUrl()
                + "/scripts/counter, which keeps serving (HTTP 200)"), printed);
        assertFalse(printed.contains("Deployed counter"), printed);
    }

    @Test
    void missingTokenIsUsageError() {
        int status = deploy(Map.of(), sample("counter").toString(), "--to", adminUrl());

        assertEquals(2, status);
        assertTrue(errText().contains("no admin token: set MOORING_ADMIN_TOKEN or pass --token-file FILE"), errText());
        assertEquals(List.of(), received);
    }

    @Test
    void missingTokenFileSaysWhereTokenIs() {
        Path tokenFile = temporary.resolve("no-such-token");

        int status = deploy(Map.of(), sample("counter").toString(), "--to", adminUrl(), "--token-file",
                tokenFile.toString());

        assertEquals(2, status);
        assertTrue(errText().startsWith("mooring: the token file " + tokenFile.toAbsolutePath() + " does not exist. "),
                errText());
        assertTrue(errText().contains("else the file admin-token in its data folder (--data, default mooring-data)"),
                errText());
        assertTrue(errText().contains("e.g. --token-file " + Path.of("mooring-data", "admin-token")), errText());
        assertFalse(errText().contains("Exception"), errText());
        assertEquals(List.of(), received);
    }

    @Test
    void emptyTokenFileSaysWhatToWrite() throws Exception {
        Path tokenFile = Files.writeString(temporary.resolve("empty-token"), "\n");

        int status = deploy(Map.of(), sample("counter").toString(), "--to", adminUrl(), "--token-file",
                tokenFile.toString());

        assertEquals(2, status);
        assertTrue(errText().contains("no admin token: the token file " + tokenFile.toAbsolutePath() + " is empty. Write the"
                + " token that the server's admin API expects into it"), errText());
        assertEquals(List.of(), received);
    }

    @Test
    void tokenFolderIsReadError() {
        int status = deploy(Map.of(), sample("counter").toString(), "--to", adminUrl(), "--token-file",
                temporary.toString());

        assertEquals(2, status);
        assertTrue(errText().startsWith("mooring: cannot read the token file " + temporary.toAbsolutePath() + ": "),
                errText());
        assertFalse(errText().contains("Exception"), errText());
        assertEquals(List.of(), received);
    }

    @Test
    void tokenFileTakesPrecedence() throws Exception {
        Path tokenFile = temporary.resolve("token");
        Files.writeString(tokenFile, "  file-token\n");

        int status = deploy(Map.of(DeployCommand.TOKEN_VARIABLE, "environment-token"), sample("counter").toString(),
                "--to", adminUrl() + "/", "--token-file", tokenFile.toString());

        assertEquals(0, status, errText());
        assertEquals(List.of("Bearer file-token", "Bearer file-token"),
                received.stream().map(Received::authorization).toList());
        assertEquals("/scripts/counter", upload().path());
    }

    @Test
    void missingUrlIsUsageError() {
        int status = deploy(Map.of(DeployCommand.TOKEN_VARIABLE, TOKEN), sample("counter").toString());

        assertEquals(2, status);
        assertTrue(errText().contains("'deploy' needs --to URL"), errText());
    }

    @Test
    void urlWithoutHttpSchemeIsUsageError() {
        int status = deploy(Map.of(DeployCommand.TOKEN_VARIABLE, TOKEN), sample("counter").toString(), "--to",
                "ftp://127.0.0.1/");

        assertEquals(2, status);
        assertTrue(errText().contains("Invalid value 'ftp://127.0.0.1/' for --to: expected an http:// or https:// URL"),
                errText());
    }

    @Test
    void emptyModuleStopsBeforeUpload() throws Exception {
        Path project = writeProject("""
                name = "blank"
                main = "worker.js"
                """);
        Files.writeString(project.resolve("empty.txt"), "");

        int status = deploy(project);

        assertEquals(1, status);
        assertTrue(errText().contains("Module empty.txt (" + project.toRealPath().resolve("empty.txt") + ") is empty, and "
                + "the admin API rejects empty modules"), errText());
        assertEquals(List.of("GET"), received.stream().map(Received::method).toList());
    }

    private Path writeProject(String config) throws IOException {
        Path project = temporary.resolve("project");
        Files.createDirectories(project);
        Files.writeString(project.resolve("wrangler.toml"), config);
        Files.writeString(project.resolve("worker.js"), "export class Tally {}\nexport class Audit {}\n"
                + "export default { fetch() { return new Response('ok'); } };\n");
        return project;
    }
}
