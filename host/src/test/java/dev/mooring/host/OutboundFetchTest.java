package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.host.egress.EgressPolicy;
import dev.mooring.host.egress.EgressSettings;
import dev.mooring.host.egress.OriginServer;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guest code's {@code fetch()} end to end: a Worker and a Durable Object in a real host call an
 * origin server on 127.0.0.1, within the allowlist given to the host. Each request reports what
 * its {@code fetch()} returned or threw as JSON. The attempts to leave the sandbox (loopback
 * without a listing by address, a host not on the allowlist, a redirect out of it, another scheme)
 * must all fail, and the origin must then have received nothing.
 */
class OutboundFetchTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String WRANGLER = TestHost.configWithClass("egress", "CALLER", "Caller");

    /**
     * {@code /fetch?url=U[&redirect=M]} fetches U from the Worker, {@code /object?url=U} POSTs to U
     * from a Durable Object after a storage write, and {@code /top-level} reports what a fetch()
     * in top-level module code did.
     */
    private static final String WORKER = """
            let topLevel = "not settled";
            fetch("http://127.0.0.1:9/").then(() => { topLevel = "resolved"; },
                (error) => { topLevel = error.name + ": " + error.message; });

            async function describe(call) {
              try {
                const response = await call();
                return Response.json({
                  status: response.status, statusText: response.statusText, url: response.url,
                  redirected: response.redirected, headers: Object.fromEntries(response.headers),
                  body: await response.text(),
                });
              } catch (error) {
                return Response.json({ error: error.name, message: error.message });
              }
            }

            export class Caller {
              constructor(state) { this.state = state; }
              async fetch(request) {
                const target = new URL(request.url).searchParams.get("url");
                await this.state.storage.put("calls", ((await this.state.storage.get("calls")) || 0) + 1);
                return describe(() => fetch(target, { method: "POST", body: "from the object", headers: { "x-from": "object" } }));
              }
            }

            export default {
              async fetch(request, env) {
                const url = new URL(request.url);
                if (url.pathname === "/top-level") return new Response(topLevel);
                if (url.pathname === "/object") {
                  return env.CALLER.getByName("one").fetch("https://object/" + url.search);
                }
                const init = url.searchParams.has("redirect") ? { redirect: url.searchParams.get("redirect") } : undefined;
                return describe(() => fetch(url.searchParams.get("url"), init));
              }
            };
            """;

    @TempDir
    Path project;

    @TempDir
    Path data;

    private OriginServer origin;

    @BeforeEach
    void startOrigin() throws Exception {
        TestHost.writeProject(project, Map.of("wrangler.toml", WRANGLER, "worker.js", WORKER));
        origin = OriginServer.start();
        origin.text("/hello", 201, "X-Origin", "yes", "hello from the origin")
                .redirect("/to-invalid", 302, "http://example.invalid/next")
                .redirect("/to-hello", 301, "/hello")
                .text("/big", 200, "X-Origin", "yes", "x".repeat(4096))
                .text("/echo", 200, "X-Origin", "yes", "echo")
                .hang("/never");
    }

    @AfterEach
    void stopOrigin() throws Exception {
        origin.close();
    }

    private TestHost start(String allowlist) throws Exception {
        return start(allowlist == null ? EgressSettings.DEFAULTS : EgressSettings.DEFAULTS.withPolicy(EgressPolicy.parse(allowlist)));
    }

    private TestHost start(EgressSettings egress) throws Exception {
        return TestHost.start(project, data, TestHost.Options.defaults().withEgress(egress));
    }

    /** Asks the Worker to fetch {@code url} and returns its report. */
    private static JsonNode fetchFromWorker(TestHost host, String url, String... query) throws Exception {
        String path = "/fetch?url=" + URLEncoder.encode(url, StandardCharsets.UTF_8) + String.join("", query);
        HttpResponse<String> response = host.get(path);
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static void assertRejected(JsonNode report, String errorName, String... fragments) {
        assertEquals(errorName, report.path("error").asText(), report.toString());
        for (String fragment : fragments) {
            assertTrue(report.path("message").asText().contains(fragment), report.toString());
        }
    }

    @Test
    void loopbackWithoutAllowlistIsBlocked() throws Exception {
        try (TestHost host = start((String) null)) {
            JsonNode report = fetchFromWorker(host, origin.url("/hello"));

            assertRejected(report, "Error", "fetch() to 127.0.0.1 was blocked because outbound fetch() is disabled",
                    "--allow-fetch 127.0.0.1");
        }
        assertTrue(origin.received().isEmpty(), "the origin must see no request");
    }

    @Test
    void hostNotOnAllowlistIsBlocked() throws Exception {
        try (TestHost host = start("127.0.0.1")) {
            JsonNode report = fetchFromWorker(host, "http://example.invalid/secret");

            assertRejected(report, "Error", "fetch() to example.invalid was blocked because the host is not on the allowlist",
                    "--allow-fetch 127.0.0.1,example.invalid");
        }
    }

    @Test
    void localhostByNameIsBlockedAsLoopback() throws Exception {
        try (TestHost host = start("localhost")) {
            JsonNode report = fetchFromWorker(host, "http://localhost:" + origin.port() + "/hello");

            assertRejected(report, "Error", "fetch() to localhost was blocked because it resolves to", "a loopback address");
        }
        assertTrue(origin.received().isEmpty(), "the origin must see no request");
    }

    @Test
    void loopbackListedByAddressSucceeds() throws Exception {
        try (TestHost host = start("127.0.0.1")) {
            JsonNode report = fetchFromWorker(host, origin.url("/hello"));

            assertEquals(201, report.path("status").asInt(), report.toString());
            assertEquals("Created", report.path("statusText").asText());
            assertEquals("yes", report.path("headers").path("x-origin").asText());
            assertEquals("hello from the origin", report.path("body").asText());
            assertEquals(origin.url("/hello"), report.path("url").asText());
            assertEquals(false, report.path("redirected").asBoolean());
        }
        assertEquals("GET", origin.received().get(0).method());
    }

    @Test
    void objectFetchSendsBodyAfterWrite() throws Exception {
        try (TestHost host = start("127.0.0.1")) {
            HttpResponse<String> response = host.get("/object?url=" + URLEncoder.encode(origin.url("/echo"), StandardCharsets.UTF_8));
            JsonNode report = JSON.readTree(response.body());

            assertEquals(200, report.path("status").asInt(), report.toString());
            assertEquals("echo", report.path("body").asText());
        }
        OriginServer.Received received = origin.received().get(0);
        assertEquals("POST", received.method());
        assertEquals("from the object", received.bodyText());
        assertEquals("object", received.headers().getFirst("X-From"));
    }

    @Test
    void redirectWithinAllowlistIsFollowed() throws Exception {
        try (TestHost host = start("127.0.0.1")) {
            JsonNode report = fetchFromWorker(host, origin.url("/to-hello"));

            assertEquals(201, report.path("status").asInt(), report.toString());
            assertEquals(origin.url("/hello"), report.path("url").asText());
            assertEquals(true, report.path("redirected").asBoolean());
        }
    }

    @Test
    void redirectToUnlistedHostIsBlocked() throws Exception {
        try (TestHost host = start("127.0.0.1")) {
            JsonNode followed = fetchFromWorker(host, origin.url("/to-invalid"));
            JsonNode manual = fetchFromWorker(host, origin.url("/to-invalid"), "&redirect=manual");

            assertRejected(followed, "Error", "fetch() to example.invalid was blocked", "--allow-fetch 127.0.0.1,example.invalid");
            assertEquals(302, manual.path("status").asInt(), manual.toString());
            assertEquals("http://example.invalid/next", manual.path("headers").path("location").asText());
        }
    }

    @Test
    void otherSchemeIsTypeError() throws Exception {
        try (TestHost host = start("127.0.0.1")) {
            JsonNode file = fetchFromWorker(host, "file:///etc/passwd");
            JsonNode ftp = fetchFromWorker(host, "ftp://127.0.0.1:" + origin.port() + "/hello");

            assertRejected(file, "TypeError", "Fetch API cannot load: file:///etc/passwd", "not file: URLs");
            assertRejected(ftp, "TypeError", "not ftp: URLs");
        }
        assertTrue(origin.received().isEmpty(), "the origin must see no request");
    }

    @Test
    void responseOverLimitIsError() throws Exception {
        try (TestHost host = start(EgressSettings.DEFAULTS.withPolicy(EgressPolicy.parse("127.0.0.1")).withMaxResponseBytes(1024))) {
            JsonNode report = fetchFromWorker(host, origin.url("/big"));

            assertRejected(report, "Error", "is larger than 1024 bytes", "--fetch-max-response");
        }
    }

    @Test
    void unansweredRequestTimesOut() throws Exception {
        EgressSettings egress = EgressSettings.DEFAULTS.withPolicy(EgressPolicy.parse("127.0.0.1")).withTimeout(Duration.ofMillis(300));
        try (TestHost host = start(egress)) {
            JsonNode report = fetchFromWorker(host, origin.url("/never"));

            assertRejected(report, "Error", "timed out after 300ms", "--fetch-timeout");
        }
    }

    @Test
    void topLevelFetchIsRejected() throws Exception {
        try (TestHost host = start("127.0.0.1")) {
            String outcome = host.get("/top-level").body();

            assertTrue(outcome.startsWith("Error: Disallowed operation called within global scope"), outcome);
        }
    }
}
