package dev.mooring.host.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.runtime.fetch.RequestData;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DNS pinning end to end: the egress client with its default resolver, the JVM's {@link
 * PinningResolver} and the JDK HTTP client, against an origin server on 127.0.0.1. The upstream
 * of the JVM's resolver resolves the test's names to addresses from the test, and the blocked answers are other
 * loopback addresses, so no lookup and no connection leaves this machine. Each test uses a name of
 * its own, because the JVM's address cache keeps answers for 30 seconds.
 */
class EgressPinningTest {

    private static final Duration THREAD_EXIT_TIMEOUT = Duration.ofSeconds(10);

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private Set<Thread> threadsBefore;
    private OriginServer origin;
    private UpstreamOverride upstream;
    private String name;

    @BeforeEach
    void start() throws Exception {
        threadsBefore = Thread.getAllStackTraces().keySet();
        origin = OriginServer.start();
        closeables.add(origin);
        upstream = UpstreamOverride.install();
        closeables.add(upstream);
        name = "pin-" + System.nanoTime() + ".test";
    }

    @AfterEach
    void closeAllAndCheckThreads() throws Exception {
        for (AutoCloseable closeable : closeables.reversed()) {
            closeable.close();
        }
        Set<String> leaked = leakedThreads();
        long deadline = System.nanoTime() + THREAD_EXIT_TIMEOUT.toNanos();
        while (!leaked.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
            leaked = leakedThreads();
        }
        assertTrue(leaked.isEmpty(), "threads still running after the test: " + leaked);
    }

    /** Platform threads of the client or the JDK HTTP client that the test started and that still run. */
    private Set<String> leakedThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !threadsBefore.contains(thread) && thread.isAlive())
                .map(Thread::getName)
                .filter(threadName -> threadName.startsWith("mooring-") || threadName.startsWith("HttpClient-"))
                .collect(Collectors.toSet());
    }

    /** Creates a client with the default resolver, whose policy lists the test's name and 127.0.0.1. */
    private EgressClient client() {
        EgressClient client = new EgressClient(EgressSettings.DEFAULTS.withPolicy(EgressPolicy.parse(name + ",127.0.0.1")));
        closeables.add(client);
        return client;
    }

    private String url(String path) {
        return "http://" + name + ":" + origin.port() + path;
    }

    private static RequestData get(String url) {
        return new RequestData("GET", url, List.of(), null);
    }

    private static EgressException failure(EgressClient client, RequestData request) throws Exception {
        ExecutionException error = assertThrows(ExecutionException.class,
                () -> client.fetch("test-script", request, EgressClient.RedirectMode.FOLLOW).get(60, TimeUnit.SECONDS));
        return assertInstanceOf(EgressException.class, error.getCause());
    }

    private void awaitUnpinned() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (AddressPins.SHARED.lookup(name).isPresent() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @Test
    void changedAnswerStillConnectsToApprovedAddress() throws Exception {
        origin.text("/", 200, "X-Origin", "yes", "approved origin");
        // The first upstream answer is approved; every later one is a loopback address that the
        // policy rejects, where nothing listens on the origin's port.
        upstream.answer(name, "127.0.0.1", "127.0.0.2");

        EgressClient.Fetched fetched = client().fetch("test-script", get(url("/")), EgressClient.RedirectMode.FOLLOW)
                .get(60, TimeUnit.SECONDS);

        assertEquals(200, fetched.response().status());
        assertEquals("approved origin", fetched.response().bodyText());
        assertEquals(1, origin.received().size());
        assertEquals(1, upstream.lookupCount(name), "the connection must take the pinned answer, not ask upstream again");
        assertEquals(List.of(InetAddress.ofLiteral("127.0.0.2")),
                PinningResolverProvider.installed().orElseThrow().resolveUpstream(name), "the upstream answer changed");
    }

    @Test
    void pinEndsWhenResponseArrives() throws Exception {
        origin.text("/", 200, "X-Origin", "yes", "ok");
        upstream.answer(name, "127.0.0.1");

        client().fetch("test-script", get(url("/")), EgressClient.RedirectMode.FOLLOW).get(60, TimeUnit.SECONDS);
        awaitUnpinned();

        assertEquals(Optional.empty(), AddressPins.SHARED.lookup(name));
    }

    @Test
    void cachedAnswerOfEarlierLookupIsChecked() throws Exception {
        upstream.answer(name, "127.0.0.2", "127.0.0.1");
        // An earlier lookup outside the egress check leaves 127.0.0.2 in the JVM's address cache,
        // where the JDK HTTP client would find it before the pin.
        InetAddress.getAllByName(name);

        EgressException error = failure(client(), get(url("/")));

        assertTrue(error.getMessage().contains("resolves to 127.0.0.2"), error.getMessage());
        assertTrue(origin.received().isEmpty());
        awaitUnpinned();
        assertEquals(Optional.empty(), AddressPins.SHARED.lookup(name), "a rejected hop must release its pin");
    }

    @Test
    void addressesPinnedByEarlierCheckAreChecked() throws Exception {
        upstream.answer(name, "127.0.0.1");
        // Another request under way has the name pinned to an address that this policy rejects.
        try (AddressPins.Lease other = AddressPins.SHARED.pin(name, List.of(InetAddress.ofLiteral("127.0.0.3")),
                Duration.ofMinutes(1)).orElseThrow()) {

            EgressException error = failure(client(), get(url("/")));

            assertTrue(error.getMessage().contains("resolves to 127.0.0.3"), error.getMessage());
            assertTrue(origin.received().isEmpty());
        }
    }
}
