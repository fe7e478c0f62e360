package dev.mooring.host.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.host.HostServices;
import dev.mooring.host.admin.AdminServer;
import dev.mooring.host.admin.AdminToken;
import dev.mooring.host.config.WebSocketSettings;
import dev.mooring.host.deploy.UploadLimits;
import dev.mooring.host.egress.EgressSettings;
import dev.mooring.host.http.HttpFrontend;
import dev.mooring.host.storage.LmdbStore;
import dev.mooring.sandbox.EventLoop;
import dev.mooring.sandbox.Ticker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * The pieces of {@code mooring serve}, started in the test's JVM on free ports of 127.0.0.1: the
 * host services, the script registry with its archive in a temporary data folder, the public
 * listener with path routing, and the admin listener with a known token.
 */
public final class ServeHarness implements AutoCloseable {

    public static final String TOKEN = "test-admin-token-0123456789abcdef";

    private final HostServices services;
    private final ScriptRegistry registry;
    private final HttpFrontend frontend;
    private final AdminServer admin;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private ServeHarness(Path data, int eventLoops, Duration cpuLimit, Duration handOverGrace, Ticker ticker) {
        HttpFrontend.Settings http = new HttpFrontend.Settings("127.0.0.1", 0, 1, 100L << 20);
        services = HostServices.start(new HostServices.Settings(data, eventLoops, cpuLimit, Duration.ofSeconds(10),
                LmdbStore.Options.defaults().withInitialMapSizeBytes(64L << 20), http, ticker,
                EgressSettings.DEFAULTS));
        registry = ScriptRegistry.open(services, data, handOverGrace);
        ScriptRouter router = new ScriptRouter(registry, null, true);
        frontend = new HttpFrontend(http, router::handle, HttpFrontend.WebSocketBinder.of(services.webSocketDirectory()),
                WebSocketSettings.DEFAULTS);
        frontend.start();
        router.listeningOn(frontend.port(), OptionalInt.empty());
        admin = new AdminServer(new AdminServer.Settings("127.0.0.1", 0, UploadLimits.DEFAULTS),
                AdminToken.resolve(TOKEN, null, data), registry);
        admin.start();
    }

    /** Starts a harness with two event loops per script and a 30 s CPU limit. */
    public static ServeHarness start(Path data) {
        return start(data, 2, Duration.ofSeconds(30));
    }

    /** Starts a harness with a 5 s grace period for version changes, on the system clock. */
    public static ServeHarness start(Path data, int eventLoops, Duration cpuLimit) {
        return new ServeHarness(data, eventLoops, cpuLimit, Duration.ofSeconds(5), Ticker.SYSTEM);
    }

    /** @param ticker the event loops' clock, which their timers and the grace period's resets follow */
    public static ServeHarness start(Path data, int eventLoops, Duration cpuLimit, Duration handOverGrace, Ticker ticker) {
        return new ServeHarness(data, eventLoops, cpuLimit, handOverGrace, ticker);
    }

    public ScriptRegistry registry() {
        return registry;
    }

    public HostServices services() {
        return services;
    }

    public HttpClient client() {
        return client;
    }

    /** The URI of {@code path} of script {@code script}, by path routing. */
    public URI scriptUri(String script, String path) {
        return URI.create("http://127.0.0.1:" + frontend.port() + "/" + script + path);
    }

    public URI webSocketUri(String script, String path) {
        return URI.create("ws://127.0.0.1:" + frontend.port() + "/" + script + path);
    }

    public int port() {
        return frontend.port();
    }

    /** The URI of an admin path such as {@code /scripts}. */
    public URI adminUri(String path) {
        return URI.create("http://127.0.0.1:" + admin.port() + path);
    }

    public HttpResponse<String> get(String script, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(scriptUri(script, path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Sends an admin request with the harness's token. */
    public HttpResponse<String> admin(String method, String path, String contentType, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(adminUri(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Stops everything and checks that no transaction or event loop outlives the host. */
    @Override
    public void close() {
        admin.close();
        frontend.close();
        registry.close();
        services.close();
        client.close();
        assertEquals(0, services.store().openTransactions(), "LMDB transactions left open");
        for (EventLoop loop : services.loops()) {
            assertTrue(loop.isTerminated(), "event loop " + loop.name() + " is still running");
        }
    }
}
