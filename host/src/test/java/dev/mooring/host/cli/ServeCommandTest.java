package dev.mooring.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.host.LogCapture;
import dev.mooring.host.admin.AdminToken;
import dev.mooring.host.deploy.MultipartWriter;
import dev.mooring.host.deploy.ScriptUpload;
import dev.mooring.host.http.DevCertificate;
import dev.mooring.host.http.HttpFrontend;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mooring serve} started in the test's JVM through its command line, on free ports of
 * 127.0.0.1: the addresses that the startup log and the 404 for an unrouted request name.
 */
class ServeCommandTest {

    private static final String SERVE_LOGGER = ServeCommand.class.getName();
    private static final String TOKEN = "serve-command-test-token-0123456789";

    @TempDir
    Path data;

    @Test
    void unroutedRequestNamesPortAndRouteByPath() throws Exception {
        try (ServeCommand.Running serve = start()) {
            int port = serve.frontend().port();

            HttpResponse<String> response = get(URI.create("http://127.0.0.1:" + port + "/counter/apples"));

            assertEquals(404, response.statusCode(), response.body());
            assertFalse(response.body().contains("PORT"), response.body());
            assertTrue(response.body().contains("http://NAME.localhost:" + port + "/"), response.body());
            assertTrue(response.body().contains("--route-by-path true"), response.body());
            assertTrue(response.body().contains("http://127.0.0.1:" + port + "/NAME/..."), response.body());
        }
    }

    @Test
    void unroutedRequestWithPathRoutingListsPathForm() throws Exception {
        try (ServeCommand.Running serve = start("--route-by-path", "true")) {
            int port = serve.frontend().port();

            HttpResponse<String> response = get(URI.create("http://127.0.0.1:" + port + "/"));

            assertEquals(404, response.statusCode(), response.body());
            assertTrue(response.body().contains("http://NAME.localhost:" + port + "/"), response.body());
            assertTrue(response.body().contains("http://127.0.0.1:" + port + "/NAME/..."), response.body());
            assertFalse(response.body().contains("--route-by-path"), "path routing is already on: " + response.body());
        }
    }

    @Test
    void unroutedHttpsRequestNamesHttpsPort() throws Exception {
        try (ServeCommand.Running serve = start("--https-port", "0")) {
            int httpsPort = serve.frontend().httpsPort();
            Path keystore = DevCertificate.defaultKeystoreFile(data);

            HttpResponse<String> response;
            try (HttpClient client = HttpClient.newBuilder().sslContext(trusting(keystore))
                    .connectTimeout(Duration.ofSeconds(10)).build()) {
                response = client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + httpsPort + "/"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            }

            assertEquals(404, response.statusCode(), response.body());
            assertTrue(response.body().contains("https://NAME.localhost:" + httpsPort + "/"), response.body());
            assertTrue(response.body().contains("https://localhost:" + httpsPort + "/NAME/..."), response.body());
        }
    }

    @Test
    void baseDomainInStartupLogAndHint() throws Exception {
        try (LogCapture log = LogCapture.of(SERVE_LOGGER);
                ServeCommand.Running serve = start("--base-domain", "Scripts.Example.test")) {
            int port = serve.frontend().port();
            String baseDomainAddress = "http://NAME.scripts.example.test:" + port + "/";

            assertTrue(log.contains(SERVE_LOGGER, "http://NAME.localhost:" + port + "/"), String.join("\n", log.lines()));
            assertTrue(log.contains(SERVE_LOGGER, baseDomainAddress), String.join("\n", log.lines()));
            assertFalse(log.contains(SERVE_LOGGER, "/NAME/..."), "path routing is off: " + String.join("\n", log.lines()));

            HttpResponse<String> response = get(URI.create("http://127.0.0.1:" + port + "/"));
            assertEquals(404, response.statusCode(), response.body());
            assertTrue(response.body().contains(baseDomainAddress), response.body());

            // The address the log names routes by its host name: the label reaches the registry.
            String routed = getWithHost(port, "counter.scripts.example.test:" + port);
            assertTrue(routed.startsWith("HTTP/1.1 404"), routed);
            assertTrue(routed.contains("No script named \"counter\" is deployed"), routed);
        }
    }

    @Test
    void startAndStopLogsNameHttpsListener() throws Exception {
        int httpsPort;
        int port;
        try (LogCapture log = LogCapture.of("dev.mooring.host")) {
            try (ServeCommand.Running serve = start("--https-port", "0")) {
                httpsPort = serve.frontend().httpsPort();
                port = serve.frontend().port();

                assertTrue(log.contains(SERVE_LOGGER, "https://NAME.localhost:" + httpsPort + "/"), String.join("\n", log.lines()));
            }

            assertTrue(log.contains(HttpFrontend.class.getName(), "Stopped listening on http://127.0.0.1:" + port
                    + "/ and https://127.0.0.1:" + httpsPort + "/"), String.join("\n", log.lines()));
        }
    }

    @Test
    void startupLogListsPathForm() throws Exception {
        try (LogCapture log = LogCapture.of(SERVE_LOGGER);
                ServeCommand.Running serve = start("--route-by-path", "true")) {
            int port = serve.frontend().port();

            assertTrue(log.contains(SERVE_LOGGER, "http://127.0.0.1:" + port + "/NAME/..."), String.join("\n", log.lines()));
        }
    }

    @Test
    void failedStartStillPrintsNewToken() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path tokenFile = data.resolve(AdminToken.FILE_NAME);

        Optional<ServeCommand.Running> failed;
        int takenPort;
        try (ServerSocket taken = bindTestPort()) {
            takenPort = taken.getLocalPort();
            failed = ServeCommand.start(tokenlessArguments(takenPort), Map.of(), printStream(out), printStream(err));
        }
        failed.ifPresent(ServeCommand.Running::close);

        assertTrue(failed.isEmpty(), "serve started on a port in use");
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot listen on 127.0.0.1:" + takenPort),
                err.toString(StandardCharsets.UTF_8));
        assertTrue(Files.exists(tokenFile), "no token stored in " + tokenFile);
        String token = Files.readString(tokenFile).strip();
        assertTrue(out.toString(StandardCharsets.UTF_8).lines().anyMatch(line -> line.equals("  " + token)),
                "the stored token was not printed: " + out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void nextStartKeepsPrintedToken() throws Exception {
        Path tokenFile = data.resolve(AdminToken.FILE_NAME);
        try (ServerSocket taken = bindTestPort()) {
            ServeCommand.start(tokenlessArguments(taken.getLocalPort()), Map.of(), printStream(new ByteArrayOutputStream()),
                    printStream(new ByteArrayOutputStream())).ifPresent(ServeCommand.Running::close);
        }
        String token = Files.readString(tokenFile).strip();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        ServeCommand.Running serve = ServeCommand.start(tokenlessArguments(0), Map.of(), printStream(out),
                printStream(new ByteArrayOutputStream())).orElseThrow(() -> new AssertionError("serve did not start"));
        serve.close();

        assertEquals(token, Files.readString(tokenFile).strip());
        assertFalse(out.toString(StandardCharsets.UTF_8).contains("Generated the admin API token"),
                out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void localHostOfListenAddresses() {
        assertEquals("127.0.0.1", ServeCommand.localHostOf("127.0.0.1"));
        assertEquals("127.0.0.1", ServeCommand.localHostOf("0.0.0.0"));
        assertEquals("[::1]", ServeCommand.localHostOf("::"));
        assertEquals("[::1]", ServeCommand.localHostOf("[::]"));
        assertEquals("[::1]", ServeCommand.localHostOf("::1"));
        assertEquals("192.0.2.7", ServeCommand.localHostOf("192.0.2.7"));
    }

    @Test
    void dataPathThatIsAFileFailsWithMessage() throws Exception {
        Path file = Files.writeString(data.resolve("not-a-folder"), "x");
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        Optional<ServeCommand.Running> started = ServeCommand.start(List.of("--port", "0", "--admin-port", "0", "--data",
                file.toString(), "--warmup", "0s"), Map.of(), printStream(new ByteArrayOutputStream()), printStream(err));

        assertTrue(started.isEmpty(), "serve started on a file as its data folder");
        assertEquals("mooring: cannot use " + file + " as the data folder (--data): it is a file, not a folder; give a folder"
                + " that this user can create and write\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void uncaughtExceptionTextStaysInScriptLog() throws Exception {
        try (LogCapture log = LogCapture.of("mooring.script");
                ServeCommand.Running serve = start("--route-by-path", "true")) {
            deploy(serve, "thrower", "export default { fetch() { throw new TypeError('customer 42 has no row in accounts'); } };");

            HttpResponse<String> response = get(URI.create("http://127.0.0.1:" + serve.frontend().port() + "/thrower/"));

            assertEquals(500, response.statusCode(), response.body());
            assertEquals("Worker threw exception\n", response.body());
            assertTrue(log.contains("mooring.script.thrower", "TypeError: customer 42 has no row in accounts"),
                    String.join("\n", log.lines()));
        }
    }

    @Test
    void stoppingClosesClientWebSocketsWith1001() throws Exception {
        CompletableFuture<String> echoed = new CompletableFuture<>();
        CompletableFuture<String> closed = new CompletableFuture<>();
        ServeCommand.Running serve = start("--route-by-path", "true");
        boolean stopped = false;
        try (HttpClient client = HttpClient.newHttpClient()) {
            deploy(serve, "sockets", """
                    export default {
                      fetch() {
                        const [client, server] = Object.values(new WebSocketPair());
                        server.accept();
                        server.addEventListener("message", (event) => server.send("echo " + event.data));
                        return new Response(null, { status: 101, webSocket: client });
                      },
                    };
                    """);
            client.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + serve.frontend().port() + "/sockets/"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                            echoed.complete(data.toString());
                            socket.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
                            closed.complete(code + " " + reason);
                            return null;
                        }

                        @Override
                        public void onError(WebSocket socket, Throwable error) {
                            closed.completeExceptionally(error);
                        }
                    })
                    .get(30, TimeUnit.SECONDS)
                    .sendText("ping", true);
            assertEquals("echo ping", echoed.get(30, TimeUnit.SECONDS));

            serve.close();
            stopped = true;

            assertEquals("1001 The script was stopped.", closed.get(30, TimeUnit.SECONDS));
        } finally {
            if (!stopped) {
                serve.close();
            }
        }
    }

    /** Starts {@code mooring serve} on free ports with no warm-up and one thread of each kind. */
    private ServeCommand.Running start(String... extraOptions) {
        List<String> arguments = new ArrayList<>(List.of("--port", "0", "--admin-port", "0", "--data", data.toString(),
                "--warmup", "0s", "--event-loops", "1", "--io-threads", "1",
                "--admin-token-file", writeToken().toString()));
        arguments.addAll(List.of(extraOptions));
        return ServeCommand.start(arguments).orElseThrow(() -> new AssertionError("serve did not start: " + arguments));
    }

    /** Returns options that start serve on {@code port} with no token given, so that it generates one. */
    private List<String> tokenlessArguments(int port) {
        return List.of("--port", String.valueOf(port), "--admin-port", "0", "--data", data.toString(), "--warmup", "0s",
                "--event-loops", "1", "--io-threads", "1");
    }

    /** Binds a listener on 127.0.0.1 to the first free port from 30200 to 30299, to stand for a port in use. */
    private static ServerSocket bindTestPort() throws IOException {
        for (int port = 30200; port <= 30299; port++) {
            try {
                return new ServerSocket(port, 1, InetAddress.getByName("127.0.0.1"));
            } catch (BindException e) {
                // In use already: try the next one.
            }
        }
        throw new IOException("every port from 30200 to 30299 on 127.0.0.1 is in use");
    }

    private static PrintStream printStream(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }

    private Path writeToken() {
        Path file = data.resolve("token");
        try {
            Files.writeString(file, TOKEN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /** Builds a TLS context whose only trust anchor is the development certificate in {@code keystoreFile}. */
    private static SSLContext trusting(Path keystoreFile) throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystoreFile)) {
            keyStore.load(in, DevCertificate.KEYSTORE_PASSWORD.toCharArray());
        }
        KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
        trustStore.load(null, null);
        trustStore.setCertificateEntry(DevCertificate.ALIAS, keyStore.getCertificate(DevCertificate.ALIAS));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trustStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers.getTrustManagers(), null);
        return context;
    }

    /** Uploads {@code source} as the only module of script {@code name} through the admin API. */
    private static void deploy(ServeCommand.Running serve, String name, String source) throws Exception {
        MultipartWriter form = new MultipartWriter()
                .add(ScriptUpload.METADATA_PART, null, "application/json",
                        "{\"main_module\": \"worker.js\"}".getBytes(StandardCharsets.UTF_8))
                .add("worker.js", "worker.js", ScriptUpload.ES_MODULE_TYPE, source.getBytes(StandardCharsets.UTF_8));
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + serve.admin().port() + "/scripts/" + name))
                    .header("Authorization", "Bearer " + TOKEN)
                    .header("Content-Type", form.contentType())
                    .timeout(Duration.ofSeconds(60))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(form.toByteArray()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(201, response.statusCode(), response.body());
        }
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    /**
     * Sends GET / to 127.0.0.1 with the Host header {@code host}, which the JDK's HTTP client does
     * not let a caller set, and returns the raw response.
     */
    private static String getWithHost(int port, String host) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
