package dev.mooring.host.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.runtime.fetch.RequestData;
import dev.mooring.runtime.url.UrlParser;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The egress client against origin servers on 127.0.0.1: responses, redirects with the Fetch
 * Standard's rules, policy checks on every hop, limits and network failures. Host names other
 * than 127.0.0.1 go to a recording resolver that answers from a table, so no test sends a DNS
 * query or a packet beyond this machine.
 */
class EgressClientTest {

    private static final EgressSettings LOOPBACK_ALLOWED = EgressSettings.DEFAULTS.withPolicy(EgressPolicy.parse("127.0.0.1"));

    private final List<String> lookups = Collections.synchronizedList(new ArrayList<>());
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private OriginServer origin;

    @BeforeEach
    void startOrigin() throws Exception {
        origin = OriginServer.start();
        closeables.add(origin);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : closeables.reversed()) {
            closeable.close();
        }
    }

    /** A client whose resolver records each lookup and answers from {@code table}. */
    private EgressClient client(EgressSettings settings, Map<String, String> table) {
        EgressClient client = new EgressClient(settings, host -> {
            lookups.add(host);
            String address = table.get(host);
            if (address == null) {
                throw new UnknownHostException(host);
            }
            return List.of(InetAddress.ofLiteral(address));
        });
        closeables.add(client);
        return client;
    }

    private EgressClient client(EgressSettings settings) {
        return client(settings, Map.of());
    }

    private static RequestData get(String url, String... headers) {
        return new RequestData("GET", url, List.of(headers), null);
    }

    private static EgressClient.Fetched fetch(EgressClient client, RequestData request, EgressClient.RedirectMode redirect)
            throws Exception {
        return client.fetch("test-script", request, redirect).get(60, TimeUnit.SECONDS);
    }

    private static EgressException failure(EgressClient client, RequestData request) throws Exception {
        ExecutionException error = assertThrows(ExecutionException.class,
                () -> client.fetch("test-script", request, EgressClient.RedirectMode.FOLLOW).get(60, TimeUnit.SECONDS));
        return assertInstanceOf(EgressException.class, error.getCause());
    }

    private static String header(EgressClient.Fetched fetched, String name) {
        List<String> headers = fetched.response().headers();
        for (int i = 0; i < headers.size(); i += 2) {
            if (headers.get(i).equalsIgnoreCase(name)) {
                return headers.get(i + 1);
            }
        }
        return null;
    }

    // ---- Responses ------------------------------------------------------------------------------

    @Test
    void fetchReturnsStatusHeadersAndBody() throws Exception {
        origin.text("/hello", 201, "X-Origin", "yes", "hello from the origin");

        EgressClient.Fetched fetched = fetch(client(LOOPBACK_ALLOWED), get(origin.url("/hello?x=1#part"), "X-Guest", "g"),
                EgressClient.RedirectMode.FOLLOW);

        assertEquals(201, fetched.response().status());
        assertNull(fetched.response().statusText());
        assertEquals("yes", header(fetched, "x-origin"));
        assertEquals("hello from the origin", fetched.response().bodyText());
        assertEquals(origin.url("/hello?x=1"), fetched.url());
        assertFalse(fetched.redirected());
        OriginServer.Received received = origin.received().get(0);
        assertEquals("GET", received.method());
        assertEquals("/hello?x=1", received.pathAndQuery());
        assertEquals("g", received.headers().getFirst("X-Guest"));
        assertTrue(lookups.isEmpty(), "a listed IP address needs no lookup: " + lookups);
    }

    @Test
    void fetchSendsMethodAndBody() throws Exception {
        origin.text("/post", 200, "X-Origin", "yes", "ok");
        RequestData request = new RequestData("PUT", origin.url("/post"), List.of("content-type", "text/plain"),
                "payload".getBytes(StandardCharsets.UTF_8));

        fetch(client(LOOPBACK_ALLOWED), request, EgressClient.RedirectMode.FOLLOW);

        OriginServer.Received received = origin.received().get(0);
        assertEquals("PUT", received.method());
        assertEquals("payload", received.bodyText());
        assertEquals("text/plain", received.headers().getFirst("Content-Type"));
    }

    @Test
    void headersTheClientSetsAreDropped() throws Exception {
        origin.text("/", 200, "X-Origin", "yes", "ok");

        fetch(client(LOOPBACK_ALLOWED), get(origin.url("/"), "Host", "evil.example", "Connection", "upgrade",
                "Upgrade", "websocket", "X-Kept", "1"), EgressClient.RedirectMode.FOLLOW);

        OriginServer.Received received = origin.received().get(0);
        assertEquals("127.0.0.1:" + origin.port(), received.headers().getFirst("Host"));
        assertNull(received.headers().getFirst("Upgrade"));
        assertEquals("1", received.headers().getFirst("X-Kept"));
    }

    @Test
    void javaUriEscapesWhatUrlStandardLeaves() {
        assertEquals("http://127.0.0.1:8080/a%7Cb%5Ec%25zz%41?q=%7Bx%7D%7C%5E&r=%25",
                EgressClient.javaUri(UrlParser.parse("http://127.0.0.1:8080/a|b^c%zz%41?q={x}|^&r=%#frag")).toString());
        assertEquals("http://[::1]/", EgressClient.javaUri(UrlParser.parse("http://[0:0::1]/")).toString());
    }

    // ---- Redirects ------------------------------------------------------------------------------

    @Test
    void redirectIsFollowedWithinPolicy() throws Exception {
        origin.redirect("/start", 302, "/landed#frag").text("/landed", 200, "X-Origin", "landed", "arrived");

        EgressClient.Fetched fetched = fetch(client(LOOPBACK_ALLOWED), get(origin.url("/start")), EgressClient.RedirectMode.FOLLOW);

        assertEquals(200, fetched.response().status());
        assertEquals("arrived", fetched.response().bodyText());
        assertEquals(origin.url("/landed"), fetched.url());
        assertTrue(fetched.redirected());
    }

    @Test
    void manualRedirectReturnsRedirectResponse() throws Exception {
        origin.redirect("/start", 301, "/landed");

        EgressClient.Fetched fetched = fetch(client(LOOPBACK_ALLOWED), get(origin.url("/start")), EgressClient.RedirectMode.MANUAL);

        assertEquals(301, fetched.response().status());
        assertEquals("/landed", header(fetched, "location"));
        assertFalse(fetched.redirected());
        assertEquals(1, origin.received().size());
    }

    @Test
    void redirect303TurnsPostIntoGet() throws Exception {
        origin.redirect("/form", 303, "/result").text("/result", 200, "X-Origin", "yes", "done");
        RequestData post = new RequestData("POST", origin.url("/form"), List.of("Content-Type", "text/plain", "X-Other", "kept"),
                "form data".getBytes(StandardCharsets.UTF_8));

        fetch(client(LOOPBACK_ALLOWED), post, EgressClient.RedirectMode.FOLLOW);

        OriginServer.Received second = origin.received().get(1);
        assertEquals("GET", second.method());
        assertEquals("", second.bodyText());
        assertNull(second.headers().getFirst("Content-Type"));
        assertEquals("kept", second.headers().getFirst("X-Other"));
    }

    @Test
    void redirect307KeepsMethodAndBody() throws Exception {
        origin.redirect("/form", 307, "/again").text("/again", 200, "X-Origin", "yes", "done");
        RequestData post = new RequestData("POST", origin.url("/form"), List.of("Content-Type", "text/plain"),
                "form data".getBytes(StandardCharsets.UTF_8));

        fetch(client(LOOPBACK_ALLOWED), post, EgressClient.RedirectMode.FOLLOW);

        OriginServer.Received second = origin.received().get(1);
        assertEquals("POST", second.method());
        assertEquals("form data", second.bodyText());
        assertEquals("text/plain", second.headers().getFirst("Content-Type"));
    }

    @Test
    void crossOriginRedirectDropsAuthorization() throws Exception {
        OriginServer other = OriginServer.start();
        closeables.add(other);
        other.text("/there", 200, "X-Origin", "other", "other origin");
        origin.redirect("/same", 302, "/cross").redirect("/cross", 302, other.url("/there"));

        fetch(client(LOOPBACK_ALLOWED), get(origin.url("/same"), "Authorization", "Bearer secret"), EgressClient.RedirectMode.FOLLOW);

        assertEquals("Bearer secret", origin.received().get(1).headers().getFirst("Authorization"), "same origin keeps it");
        assertNull(other.received().get(0).headers().getFirst("Authorization"), "another port is another origin");
    }

    @Test
    void tooManyRedirectsFails() throws Exception {
        origin.redirect("/loop", 302, "/loop");

        EgressException error = failure(client(LOOPBACK_ALLOWED), get(origin.url("/loop")));

        assertEquals("TypeError", error.jsErrorName());
        assertEquals("Too many redirects.", error.getMessage());
        assertEquals(1 + EgressClient.MAX_REDIRECTS, origin.received().size());
    }

    @Test
    void redirectToUnlistedHostIsBlockedBeforeLookup() throws Exception {
        origin.redirect("/away", 302, "http://example.invalid/next");

        EgressException error = failure(client(LOOPBACK_ALLOWED), get(origin.url("/away")));

        assertEquals("Error", error.jsErrorName());
        assertTrue(error.getMessage().startsWith("fetch() to example.invalid was blocked because the host is not on the allowlist."),
                error.getMessage());
        assertTrue(error.getMessage().contains("add example.invalid to the --allow-fetch option"), error.getMessage());
        assertTrue(lookups.isEmpty(), "no DNS lookup for a blocked name: " + lookups);
    }

    @Test
    void redirectToUnlistedAddressIsBlocked() throws Exception {
        origin.redirect("/away", 302, "http://127.0.0.2:" + origin.port() + "/next");

        EgressException error = failure(client(LOOPBACK_ALLOWED), get(origin.url("/away")));

        assertTrue(error.getMessage().contains("127.0.0.2"), error.getMessage());
        assertEquals(1, origin.received().size());
    }

    @Test
    void redirectToOtherSchemeFails() throws Exception {
        origin.redirect("/ftp", 302, "ftp://127.0.0.1/file");

        EgressException error = failure(client(LOOPBACK_ALLOWED), get(origin.url("/ftp")));

        assertEquals("TypeError", error.jsErrorName());
        assertEquals("Fetch API cannot load: ftp://127.0.0.1/file", error.getMessage());
    }

    @Test
    void invalidLocationFails() throws Exception {
        origin.redirect("/bad", 302, "http://[not-an-address/");

        EgressException error = failure(client(LOOPBACK_ALLOWED), get(origin.url("/bad")));

        assertEquals("TypeError", error.jsErrorName());
        assertEquals("Invalid Location header; unable to follow redirect.", error.getMessage());
    }

    // ---- Policy ---------------------------------------------------------------------------------

    @Test
    void unlistedNameIsBlockedBeforeLookup() throws Exception {
        EgressException error = failure(client(LOOPBACK_ALLOWED), get("http://example.invalid/"));

        assertEquals("Error", error.jsErrorName());
        assertTrue(error.getMessage().contains("example.invalid"), error.getMessage());
        assertTrue(lookups.isEmpty(), "no DNS lookup for a blocked name: " + lookups);
    }

    @Test
    void listedNameResolvingToPrivateIsBlocked() throws Exception {
        EgressClient client = client(EgressSettings.DEFAULTS.withPolicy(EgressPolicy.parse("internal.test")),
                Map.of("internal.test", "10.1.2.3"));

        EgressException error = failure(client, get("http://internal.test/"));

        assertEquals(List.of("internal.test"), lookups);
        assertTrue(error.getMessage().contains("it resolves to 10.1.2.3, a private address"), error.getMessage());
        assertTrue(error.getMessage().contains("such as --allow-fetch internal.test,10.1.2.3."), error.getMessage());
    }

    @Test
    void unresolvableNameFails() throws Exception {
        EgressClient client = client(EgressSettings.DEFAULTS.withPolicy(EgressPolicy.parse("missing.test")));

        EgressException error = failure(client, get("http://missing.test/"));

        assertEquals("fetch() to http://missing.test/ failed because the host name missing.test could not be resolved.",
                error.getMessage());
    }

    @Test
    void denyAllBlocksLoopback() throws Exception {
        origin.text("/", 200, "X-Origin", "yes", "ok");

        EgressException error = failure(client(EgressSettings.DEFAULTS), get(origin.url("/")));

        assertTrue(error.getMessage().contains("outbound fetch() is disabled"), error.getMessage());
        assertTrue(origin.received().isEmpty());
    }

    // ---- Limits and failures --------------------------------------------------------------------

    @Test
    void declaredBodyOverLimitFails() throws Exception {
        origin.text("/big", 200, "X-Origin", "yes", "x".repeat(2048));

        EgressException error = failure(client(LOOPBACK_ALLOWED.withMaxResponseBytes(1024)), get(origin.url("/big")));

        assertEquals("The response from " + origin.url("/big") + " is larger than 1024 bytes, the limit set by the"
                + " --fetch-max-response option of the host.", error.getMessage());
    }

    @Test
    void chunkedBodyOverLimitFails() throws Exception {
        origin.chunked("/stream", 64 * 1024);

        EgressException error = failure(client(LOOPBACK_ALLOWED.withMaxResponseBytes(8 * 1024)), get(origin.url("/stream")));

        assertTrue(error.getMessage().contains("is larger than 8192 bytes"), error.getMessage());
    }

    @Test
    void bodyAtLimitIsRead() throws Exception {
        origin.chunked("/stream", 4096);

        EgressClient.Fetched fetched = fetch(client(LOOPBACK_ALLOWED.withMaxResponseBytes(4096)), get(origin.url("/stream")),
                EgressClient.RedirectMode.FOLLOW);

        assertEquals(4096, fetched.response().body().length);
    }

    @Test
    void unansweredRequestTimesOut() throws Exception {
        origin.hang("/never");

        EgressException error = failure(client(LOOPBACK_ALLOWED.withTimeout(Duration.ofMillis(200))), get(origin.url("/never")));

        assertEquals("fetch() to " + origin.url("/never") + " timed out after 200ms; the limit is set by the --fetch-timeout"
                + " option of the host.", error.getMessage());
    }

    @Test
    void timeoutClosesConnection() throws Exception {
        SilentServer silent = SilentServer.start();
        closeables.add(silent);

        EgressException error = failure(client(LOOPBACK_ALLOWED.withTimeout(Duration.ofMillis(200))), get(silent.url("/")));

        assertTrue(error.getMessage().contains("timed out after 200ms"), error.getMessage());
        assertTrue(silent.awaitRequest(Duration.ofSeconds(10)), "the request should have reached the server");
        assertTrue(silent.awaitConnectionClosed(Duration.ofSeconds(10)), "the timed-out exchange should close its connection");
    }

    @Test
    void cancelClosesConnection() throws Exception {
        SilentServer silent = SilentServer.start();
        closeables.add(silent);
        CompletableFuture<EgressClient.Fetched> result = client(LOOPBACK_ALLOWED).fetch("test", get(silent.url("/")),
                EgressClient.RedirectMode.FOLLOW);
        assertTrue(silent.awaitRequest(Duration.ofSeconds(10)), "the request should have reached the server");

        assertTrue(result.cancel(false));

        assertTrue(silent.awaitConnectionClosed(Duration.ofSeconds(10)), "the cancelled exchange should close its connection");
    }

    @Test
    void refusedConnectionFails() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        EgressException error = failure(client(LOOPBACK_ALLOWED), get("http://127.0.0.1:" + closedPort + "/"));

        assertEquals("fetch() to http://127.0.0.1:" + closedPort + "/ failed because the connection was refused.", error.getMessage());
    }

    @Test
    void closedClientFailsNewRequests() throws Exception {
        EgressClient client = client(LOOPBACK_ALLOWED);
        client.close();

        EgressException error = failure(client, get(origin.url("/")));

        assertTrue(error.getMessage().contains("shutting down"), error.getMessage());
    }
}
