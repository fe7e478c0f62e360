package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.host.egress.EgressPolicy;
import dev.mooring.host.egress.EgressSettings;
import dev.mooring.host.egress.SilentServer;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Guest {@code fetch()} calls with an AbortSignal in a real host, to a server on 127.0.0.1 that
 * reads the request and never responds. Aborting must reject the guest's promise with the
 * signal's reason and close the host's connection to the server. The host has one event loop and
 * a manual ticker, so every request sees the same module state and {@code AbortSignal.timeout()}
 * fires only when the test moves the time.
 */
class FetchAbortTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final Duration WAIT = Duration.ofSeconds(10);

    private static final String WRANGLER = TestHost.configWithClass("abort", "CALLER", "Caller");

    /**
     * {@code /controlled?url=U} fetches U with a controller's signal and reports the outcome;
     * {@code /abort} aborts that controller with REASON. {@code /timeout?url=U} fetches U with
     * {@code AbortSignal.timeout(5000)}. {@code /ping} only lets due timers run. Paths under
     * {@code /object/} do the same inside a Durable Object, after a storage write.
     */
    private static final String WORKER = """
            const REASON = new Error("stopped by the test");

            async function report(call) {
              try {
                const response = await call();
                return Response.json({ status: response.status });
              } catch (error) {
                return Response.json({ name: error.name, message: error.message, isReason: error === REASON });
              }
            }

            function handle(request, state) {
              const url = new URL(request.url);
              const target = url.searchParams.get("url");
              switch (url.pathname.replace(/^\\/object/, "")) {
                case "/controlled":
                  state.controller = new AbortController();
                  return report(() => fetch(target, { signal: state.controller.signal }));
                case "/abort":
                  state.controller.abort(REASON);
                  return new Response("aborted");
                case "/timeout":
                  return report(() => fetch(target, { signal: AbortSignal.timeout(5000) }));
                default:
                  return new Response("pong");
              }
            }

            export class Caller {
              constructor(state) { this.state = state; }
              async fetch(request) {
                await this.state.storage.put("calls", ((await this.state.storage.get("calls")) || 0) + 1);
                return handle(request, this);
              }
            }

            const workerState = {};
            export default {
              async fetch(request, env) {
                if (new URL(request.url).pathname.startsWith("/object/")) {
                  return env.CALLER.getByName("one").fetch(request);
                }
                return handle(request, workerState);
              }
            };
            """;

    @TempDir
    Path project;

    @TempDir
    Path data;

    private final ManualTicker ticker = new ManualTicker();

    private SilentServer server;

    private TestHost host;

    @BeforeEach
    void start() throws Exception {
        TestHost.writeProject(project, Map.of("wrangler.toml", WRANGLER, "worker.js", WORKER));
        server = SilentServer.start();
        EgressSettings egress = EgressSettings.DEFAULTS.withPolicy(EgressPolicy.parse("127.0.0.1"));
        host = TestHost.start(project, data, TestHost.Options.defaults().withEventLoops(1).withTicker(ticker).withEgress(egress));
    }

    @AfterEach
    void stop() throws Exception {
        host.close();
        server.close();
    }

    /** Sends a GET for {@code path} with the server's URL as the {@code url} parameter, without waiting. */
    private CompletableFuture<HttpResponse<String>> startFetch(String path) {
        String query = "?url=" + URLEncoder.encode(server.url("/slow"), StandardCharsets.UTF_8);
        HttpRequest request = HttpRequest.newBuilder(host.uri(path + query)).timeout(Duration.ofSeconds(60)).build();
        return host.client().sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode report(CompletableFuture<HttpResponse<String>> pending) throws Exception {
        HttpResponse<String> response = pending.get(60, TimeUnit.SECONDS);
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    /** Runs in the Worker (prefix "") and in a Durable Object, whose request waits for its storage write. */
    @ParameterizedTest(name = "prefix \"{0}\"")
    @ValueSource(strings = {"", "/object"})
    void abortInFlightRejectsWithReason(String prefix) throws Exception {
        CompletableFuture<HttpResponse<String>> pending = startFetch(prefix + "/controlled");
        assertTrue(server.awaitRequest(WAIT), "the guest's request should reach the server");

        assertEquals("aborted", host.get(prefix + "/abort").body());

        JsonNode report = report(pending);
        assertEquals("Error", report.path("name").asText(), report.toString());
        assertEquals("stopped by the test", report.path("message").asText(), report.toString());
        assertTrue(report.path("isReason").asBoolean(), "the promise should reject with the reason itself: " + report);
        assertTrue(server.awaitConnectionClosed(WAIT), "aborting should close the connection to the server");
    }

    @Test
    void timeoutSignalRejectsWithTimeoutError() throws Exception {
        CompletableFuture<HttpResponse<String>> pending = startFetch("/timeout");
        assertTrue(server.awaitRequest(WAIT), "the guest's request should reach the server");

        ticker.advance(Duration.ofSeconds(5));
        assertEquals("pong", host.get("/ping").body());

        JsonNode report = report(pending);
        assertEquals("TimeoutError", report.path("name").asText(), report.toString());
        assertEquals("The operation was aborted due to timeout", report.path("message").asText(), report.toString());
        assertTrue(server.awaitConnectionClosed(WAIT), "the timeout should close the connection to the server");
    }
}
