package dev.mooring.host.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolver.LookupPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The resolver that returns pinned answers: on its own over a recording upstream, and as the
 * JVM's resolver. Every upstream here returns addresses from the test, so no lookup leaves this machine.
 */
class PinningResolverTest {

    private static final LookupPolicy BOTH_IPV4_FIRST =
            LookupPolicy.of(LookupPolicy.IPV4 | LookupPolicy.IPV6 | LookupPolicy.IPV4_FIRST);
    private static final InetAddress UPSTREAM_ANSWER = InetAddress.ofLiteral("192.0.2.9");
    private static final InetAddress IPV4 = InetAddress.ofLiteral("192.0.2.1");
    private static final InetAddress IPV6 = InetAddress.ofLiteral("2001:db8::1");

    private final List<String> upstreamLookups = Collections.synchronizedList(new ArrayList<>());

    /** A built-in resolver stand-in that records each name and returns {@link #UPSTREAM_ANSWER}. */
    private final InetAddressResolver upstream = new InetAddressResolver() {
        @Override
        public Stream<InetAddress> lookupByName(String host, LookupPolicy lookupPolicy) {
            upstreamLookups.add(host);
            return Stream.of(UPSTREAM_ANSWER);
        }

        @Override
        public String lookupByAddress(byte[] address) throws UnknownHostException {
            throw new UnknownHostException("no reverse lookups in this test");
        }
    };

    private final AddressPins pins = new AddressPins(System::nanoTime, 8);
    private final PinningResolver resolver = new PinningResolver(upstream, pins);

    @Test
    void unpinnedNameIsDelegated() throws Exception {
        pins.pin("pinned.example.com", List.of(IPV4), Duration.ofMinutes(1)).orElseThrow();

        List<InetAddress> answer = resolver.lookupByName("other.example.com", BOTH_IPV4_FIRST).toList();

        assertEquals(List.of(UPSTREAM_ANSWER), answer);
        assertEquals(List.of("other.example.com"), upstreamLookups);
    }

    @Test
    void pinnedNameIsNotDelegated() throws Exception {
        pins.pin("pinned.example.com", List.of(IPV4), Duration.ofMinutes(1)).orElseThrow();

        List<InetAddress> answer = resolver.lookupByName("pinned.example.com", BOTH_IPV4_FIRST).toList();

        assertEquals(List.of(IPV4), answer);
        assertTrue(upstreamLookups.isEmpty(), "upstream was asked: " + upstreamLookups);
    }

    @Test
    void nameIsDelegatedAgainAfterLeaseCloses() throws Exception {
        pins.pin("pinned.example.com", List.of(IPV4), Duration.ofMinutes(1)).orElseThrow().close();

        List<InetAddress> answer = resolver.lookupByName("pinned.example.com", BOTH_IPV4_FIRST).toList();

        assertEquals(List.of(UPSTREAM_ANSWER), answer);
    }

    @Test
    void upstreamLookupIgnoresPins() throws Exception {
        pins.pin("pinned.example.com", List.of(IPV4), Duration.ofMinutes(1)).orElseThrow();

        assertEquals(List.of(UPSTREAM_ANSWER), resolver.resolveUpstream("pinned.example.com"));
    }

    @Test
    void pinnedAnswerFollowsLookupPolicy() throws Exception {
        pins.pin("pinned.example.com", List.of(IPV6, IPV4), Duration.ofMinutes(1)).orElseThrow();

        assertEquals(List.of(IPV4, IPV6), resolver.lookupByName("pinned.example.com", BOTH_IPV4_FIRST).toList());
        assertEquals(List.of(IPV6, IPV4), resolver.lookupByName("pinned.example.com",
                LookupPolicy.of(LookupPolicy.IPV4 | LookupPolicy.IPV6 | LookupPolicy.IPV6_FIRST)).toList());
        assertEquals(List.of(IPV4), resolver.lookupByName("pinned.example.com", LookupPolicy.of(LookupPolicy.IPV4)).toList());
    }

    @Test
    void pinnedNameWithoutRequestedFamilyIsUnknown() {
        pins.pin("pinned.example.com", List.of(IPV6), Duration.ofMinutes(1)).orElseThrow();

        assertThrows(UnknownHostException.class,
                () -> resolver.lookupByName("pinned.example.com", LookupPolicy.of(LookupPolicy.IPV4)));
        assertTrue(upstreamLookups.isEmpty(), "a pinned name must not fall back to upstream: " + upstreamLookups);
    }

    @Test
    void providerIsJvmResolver() throws Exception {
        // Fails when META-INF/services does not register the provider on this JVM's class path.
        assertTrue(PinningResolverProvider.installed().isPresent(),
                "the JVM's resolver is not " + PinningResolverProvider.class.getName());
        String name = "provider-probe-" + System.nanoTime() + ".test";

        try (UpstreamOverride upstream = UpstreamOverride.install().answer(name, "127.0.0.7")) {
            // A lookup through the JDK's public API must reach the installed resolver's upstream.
            assertEquals(List.of(InetAddress.ofLiteral("127.0.0.7")), List.of(InetAddress.getAllByName(name)));
            assertEquals(1, upstream.lookupCount(name));
        }
    }
}
