package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.host.config.WebSocketSettings;
import dev.mooring.host.egress.EgressSettings;
import dev.mooring.host.http.DevCertificate;
import dev.mooring.host.http.HttpFrontend;
import dev.mooring.host.http.TrustedProxies;
import dev.mooring.host.objects.ScriptRuntime;
import dev.mooring.host.project.Project;
import dev.mooring.host.project.ProjectLoader;
import dev.mooring.host.storage.LmdbStore;
import dev.mooring.sandbox.EventLoop;
import dev.mooring.sandbox.Ticker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A whole host for tests: real LMDB files, event loops, GraalJS contexts and an Undertow listener
 * on a free port of 127.0.0.1, serving one project directory. {@link #close} stops everything
 * and checks that no event-loop thread survives.
 */
public final class TestHost implements AutoCloseable {

    /**
     * Options for a test host; change a field with the {@code with...} methods.
     *
     * @param https whether to add an HTTPS listener on a free port, with the development
     *     certificate kept in the data directory
     * @param trustedProxies peers whose reported client address the frontend keeps
     * @param egress what guest code may reach with {@code fetch()}; nothing by default
     * @param scriptLimits allocation, live object, storage and WebSocket limits of the script
     * @param maxRequestBodyBytes largest request body the frontend accepts
     */
    public record Options(int eventLoops, Duration cpuLimit, Duration idleTimeout, Ticker ticker, LmdbStore.Options storage,
            WebSocketSettings webSockets, boolean https, TrustedProxies trustedProxies, EgressSettings egress,
            HostServices.ScriptLimits scriptLimits,
            long maxRequestBodyBytes) {
        public static Options defaults() {
            return new Options(2, Duration.ofSeconds(30), Duration.ofSeconds(10), Ticker.SYSTEM,
                    LmdbStore.Options.defaults().withInitialMapSizeBytes(64L << 20), WebSocketSettings.DEFAULTS, false,
                    TrustedProxies.NONE, EgressSettings.DEFAULTS, HostServices.ScriptLimits.defaults(), 100L << 20);
        }

        public Options withEventLoops(int loops) {
            return new Options(loops, cpuLimit, idleTimeout, ticker, storage, webSockets, https, trustedProxies, egress, scriptLimits,
                    maxRequestBodyBytes);
        }

        public Options withCpuLimit(Duration limit) {
            return new Options(eventLoops, limit, idleTimeout, ticker, storage, webSockets, https, trustedProxies, egress, scriptLimits,
                    maxRequestBodyBytes);
        }

        public Options withIdleTimeout(Duration timeout) {
            return new Options(eventLoops, cpuLimit, timeout, ticker, storage, webSockets, https, trustedProxies, egress, scriptLimits,
                    maxRequestBodyBytes);
        }

        public Options withTicker(Ticker newTicker) {
            return new Options(eventLoops, cpuLimit, idleTimeout, newTicker, storage, webSockets, https, trustedProxies, egress,
                    scriptLimits, maxRequestBodyBytes);
        }

        public Options withStorage(LmdbStore.Options newStorage) {
            return new Options(eventLoops, cpuLimit, idleTimeout, ticker, newStorage, webSockets, https, trustedProxies, egress,
                    scriptLimits, maxRequestBodyBytes);
        }

        public Options withWebSockets(WebSocketSettings newWebSockets) {
            return new Options(eventLoops, cpuLimit, idleTimeout, ticker, storage, newWebSockets, https, trustedProxies, egress,
                    scriptLimits, maxRequestBodyBytes);
        }

        public Options withHttps() {
            return new Options(eventLoops, cpuLimit, idleTimeout, ticker, storage, webSockets, true, trustedProxies, egress, scriptLimits,
                    maxRequestBodyBytes);
        }

        public Options withTrustedProxies(TrustedProxies proxies) {
            return new Options(eventLoops, cpuLimit, idleTimeout, ticker, storage, webSockets, https, proxies, egress, scriptLimits,
                    maxRequestBodyBytes);
        }

        public Options withAllocationLimit(long bytes) {
            return withScriptLimits(new HostServices.ScriptLimits(bytes, scriptLimits.maxLiveObjects(),
                    scriptLimits.storageQuotaPerObjectBytes(), scriptLimits.storageQuotaPerScriptBytes(),
                    scriptLimits.maxWebSocketsPerObject(), scriptLimits.maxQueuedResponseBytes()));
        }

        public Options withMaxLiveObjects(int objects) {
            return withScriptLimits(new HostServices.ScriptLimits(scriptLimits.allocationLimitBytes(), objects,
                    scriptLimits.storageQuotaPerObjectBytes(), scriptLimits.storageQuotaPerScriptBytes(),
                    scriptLimits.maxWebSocketsPerObject(), scriptLimits.maxQueuedResponseBytes()));
        }

        public Options withStorageQuotas(long perObjectBytes, long perScriptBytes) {
            return withScriptLimits(new HostServices.ScriptLimits(scriptLimits.allocationLimitBytes(), scriptLimits.maxLiveObjects(),
                    perObjectBytes, perScriptBytes, scriptLimits.maxWebSocketsPerObject(), scriptLimits.maxQueuedResponseBytes()));
        }

        public Options withMaxWebSocketsPerObject(int sockets) {
            return withScriptLimits(new HostServices.ScriptLimits(scriptLimits.allocationLimitBytes(), scriptLimits.maxLiveObjects(),
                    scriptLimits.storageQuotaPerObjectBytes(), scriptLimits.storageQuotaPerScriptBytes(), sockets,
                    scriptLimits.maxQueuedResponseBytes()));
        }

        public Options withMaxQueuedResponseBody(long bytes) {
            return withScriptLimits(new HostServices.ScriptLimits(scriptLimits.allocationLimitBytes(), scriptLimits.maxLiveObjects(),
                    scriptLimits.storageQuotaPerObjectBytes(), scriptLimits.storageQuotaPerScriptBytes(),
                    scriptLimits.maxWebSocketsPerObject(), bytes));
        }

        public Options withScriptLimits(HostServices.ScriptLimits limits) {
            return new Options(eventLoops, cpuLimit, idleTimeout, ticker, storage, webSockets, https, trustedProxies, egress, limits,
                    maxRequestBodyBytes);
        }

        public Options withMaxRequestBody(long bytes) {
            return new Options(eventLoops, cpuLimit, idleTimeout, ticker, storage, webSockets, https, trustedProxies, egress, scriptLimits,
                    bytes);
        }

        public Options withEgress(EgressSettings newEgress) {
            return new Options(eventLoops, cpuLimit, idleTimeout, ticker, storage, webSockets, https, trustedProxies, newEgress,
                    scriptLimits, maxRequestBodyBytes);
        }
    }

    private final HostServices services;
    private final ScriptRuntime runtime;
    private final HttpFrontend frontend;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private TestHost(Path projectDirectory, Path dataDirectory, Options options) throws Exception {
        Project project = new ProjectLoader(warning -> {}).load(projectDirectory);
        Optional<HttpFrontend.Https> https = options.https()
                ? Optional.of(new HttpFrontend.Https(0, DevCertificate.defaultKeystoreFile(dataDirectory)))
                : Optional.empty();
        HttpFrontend.Settings http = new HttpFrontend.Settings("127.0.0.1", 0, 1, options.maxRequestBodyBytes(), https,
                options.trustedProxies(), true);
        services = HostServices.start(new HostServices.Settings(dataDirectory, options.eventLoops(), options.cpuLimit(),
                options.idleTimeout(), options.storage(), http, options.ticker(), options.egress(), options.scriptLimits()));
        ScriptRuntime started = null;
        try {
            started = services.newRuntime(project);
            started.start();
            started.startAlarms();
        } catch (RuntimeException e) {
            services.close();
            throw e;
        }
        runtime = started;
        frontend = new HttpFrontend(http, runtime::handle, HttpFrontend.WebSocketBinder.of(services.webSocketDirectory()), options.webSockets());
        try {
            frontend.start();
        } catch (RuntimeException e) {
            runtime.close();
            services.close();
            throw e;
        }
    }

    /** Serves {@code projectDirectory} with storage in {@code dataDirectory}. */
    public static TestHost start(Path projectDirectory, Path dataDirectory) throws Exception {
        return new TestHost(projectDirectory, dataDirectory, Options.defaults());
    }

    public static TestHost start(Path projectDirectory, Path dataDirectory, Options options) throws Exception {
        return new TestHost(projectDirectory, dataDirectory, options);
    }

    /**
     * Returns a wrangler.toml for script {@code name} with main module worker.js and one Durable
     * Object class, {@code className}, bound as {@code binding} and created by migration v1.
     */
    public static String configWithClass(String name, String binding, String className) {
        return """
                name = "%s"
                main = "worker.js"
                [durable_objects]
                bindings = [ { name = "%s", class_name = "%s" } ]
                [[migrations]]
                tag = "v1"
                new_classes = ["%s"]
                """.formatted(name, binding, className, className);
    }

    /** Writes a project of {@code files} (name to content) under {@code directory}. */
    public static Path writeProject(Path directory, Map<String, String> files) throws IOException {
        for (Map.Entry<String, String> file : files.entrySet()) {
            Path path = directory.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue());
        }
        return directory;
    }

    public ScriptRuntime runtime() {
        return runtime;
    }

    public HostServices services() {
        return services;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + frontend.port() + path);
    }

    public URI webSocketUri(String path) {
        return URI.create("ws://127.0.0.1:" + frontend.port() + path);
    }

    /** Returns the URI of {@code path} on the HTTPS listener, which {@link Options#withHttps} adds. */
    public URI httpsUri(String path) {
        return URI.create("https://127.0.0.1:" + frontend.httpsPort() + path);
    }

    public HttpClient client() {
        return client;
    }

    /** Sends a GET and returns the response with its body as a string. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Stops the host and checks that nothing outlives it: no open LMDB transaction, no event loop,
     * no storage writer thread.
     */
    @Override
    public void close() throws Exception {
        frontend.close();
        runtime.close();
        services.close();
        int openTransactions = services.store().openTransactions();
        client.close();

        assertEquals(0, openTransactions, "LMDB transactions left open");
        for (EventLoop loop : services.loops()) {
            assertTrue(loop.isTerminated(), "event loop " + loop.name() + " is still running");
        }
        String storeName = services.settings().dataDirectory().getFileName().toString();
        List<String> writers = Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName)
                .filter(name -> name.startsWith("mooring-storage-writer") && name.endsWith(storeName))
                .toList();
        assertTrue(writers.isEmpty(), "storage writer threads still running: " + writers);
    }
}
