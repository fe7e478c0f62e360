package dev.mooring.host.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver.LookupPolicy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Makes the JVM's {@link PinningResolver} resolve the names a test chooses to addresses from that test,
 * in place of the built-in resolver. Other names still go to the upstream it replaced. {@link
 * #close} puts that upstream back.
 */
final class UpstreamOverride implements AutoCloseable {

    private final PinningResolver resolver;
    private final PinningResolver.NameLookup previous;
    /** Remaining answers per name; the last one repeats. */
    private final Map<String, List<List<InetAddress>>> answers = new ConcurrentHashMap<>();
    private final List<String> lookups = Collections.synchronizedList(new ArrayList<>());

    private UpstreamOverride(PinningResolver resolver) {
        this.resolver = resolver;
        this.previous = resolver.replaceUpstream(this::lookUp);
    }

    /** Replaces the upstream of the JVM's resolver; fails when the provider is not installed. */
    static UpstreamOverride install() {
        return new UpstreamOverride(PinningResolverProvider.installed().orElseThrow(
                () -> new AssertionError("the JVM's resolver is not " + PinningResolverProvider.class.getName())));
    }

    /** Resolves {@code name} to each address in turn, one per lookup, and then with the last one again. */
    UpstreamOverride answer(String name, String... addressesInTurn) {
        List<List<InetAddress>> turns = new ArrayList<>();
        for (String address : addressesInTurn) {
            turns.add(List.of(InetAddress.ofLiteral(address)));
        }
        answers.put(name, Collections.synchronizedList(turns));
        return this;
    }

    /** Returns the upstream lookups of {@code name} so far. */
    int lookupCount(String name) {
        synchronized (lookups) {
            return (int) lookups.stream().filter(name::equals).count();
        }
    }

    private Stream<InetAddress> lookUp(String host, LookupPolicy policy) throws UnknownHostException {
        List<List<InetAddress>> turns = answers.get(host);
        if (turns == null) {
            return previous.lookupByName(host, policy);
        }
        lookups.add(host);
        synchronized (turns) {
            return (turns.size() > 1 ? turns.removeFirst() : turns.getFirst()).stream();
        }
    }

    @Override
    public void close() {
        resolver.replaceUpstream(previous);
    }
}
