package dev.mooring.host.egress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The JVM's resolver while {@link PinningResolverProvider} is installed: a name pinned in {@link
 * AddressPins} resolves to its pinned addresses, and every other lookup goes to the upstream
 * resolver, which is the JDK's built-in one outside tests.
 *
 * <p>The egress check resolves with {@link #resolveUpstream}, which never reads the pin table, so
 * a pinned answer can never approve itself.
 *
 * <p>Threads: lookups come from any thread. The upstream, which tests replace, and the last
 * lookup policy are volatile fields, and the rest is immutable. Never caches an upstream answer (the JVM's own address cache in front of
 * this resolver does that).
 */
public final class PinningResolver implements InetAddressResolver {

    /** Resolves a host name; the shape of {@link InetAddressResolver#lookupByName}. */
    @FunctionalInterface
    interface NameLookup {
        Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException;
    }

    private final InetAddressResolver builtin;
    private final AddressPins pins;
    private volatile NameLookup upstream;
    /** The policy that the JVM passed to the last lookup; null before the first one. */
    private volatile LookupPolicy jvmPolicy;

    PinningResolver(InetAddressResolver builtin, AddressPins pins) {
        this.builtin = builtin;
        this.pins = pins;
        this.upstream = builtin::lookupByName;
    }

    @Override
    public Stream<InetAddress> lookupByName(String host, LookupPolicy lookupPolicy) throws UnknownHostException {
        jvmPolicy = lookupPolicy;
        Optional<List<InetAddress>> pinned = pins.lookup(host);
        if (pinned.isEmpty()) {
            return upstream.lookupByName(host, lookupPolicy);
        }
        List<InetAddress> ordered = inPolicyOrder(pinned.get(), lookupPolicy);
        if (ordered.isEmpty()) {
            throw new UnknownHostException(host + ": no pinned address of the requested address family");
        }
        return ordered.stream();
    }

    @Override
    public String lookupByAddress(byte[] address) throws UnknownHostException {
        return builtin.lookupByAddress(address);
    }

    /**
     * Resolves {@code host} with the upstream resolver, without reading the pin table. The lookup
     * policy is the one the JVM passed to this resolver last, or before any lookup {@link
     * #platformLookupPolicy}.
     */
    List<InetAddress> resolveUpstream(String host) throws UnknownHostException {
        LookupPolicy policy = jvmPolicy;
        return upstream.lookupByName(host, policy != null ? policy : platformLookupPolicy()).toList();
    }

    /** Makes {@code replacement} the upstream of name lookups and returns the one it replaced; for tests. */
    NameLookup replaceUpstream(NameLookup replacement) {
        NameLookup previous = upstream;
        upstream = replacement;
        return previous;
    }

    /**
     * Returns the pinned addresses of the families that {@code policy} requests, in the order it
     * requests, keeping the pinned order within each family.
     */
    static List<InetAddress> inPolicyOrder(List<InetAddress> pinned, LookupPolicy policy) {
        int characteristics = policy.characteristics();
        List<InetAddress> ipv4 = new ArrayList<>();
        List<InetAddress> ipv6 = new ArrayList<>();
        List<InetAddress> requested = new ArrayList<>();
        for (InetAddress address : pinned) {
            boolean isIpv4 = address instanceof Inet4Address;
            boolean familyRequested = isIpv4
                    ? (characteristics & LookupPolicy.IPV4) != 0
                    : address instanceof Inet6Address && (characteristics & LookupPolicy.IPV6) != 0;
            if (familyRequested) {
                requested.add(address);
                (isIpv4 ? ipv4 : ipv6).add(address);
            }
        }
        if ((characteristics & LookupPolicy.IPV4_FIRST) != 0) {
            return concat(ipv4, ipv6);
        }
        if ((characteristics & LookupPolicy.IPV6_FIRST) != 0) {
            return concat(ipv6, ipv4);
        }
        return requested;
    }

    /**
     * Returns the lookup policy that the JVM passes to a resolver, from the {@code
     * java.net.preferIPv4Stack} and {@code java.net.preferIPv6Addresses} system properties as JDK
     * 25 reads them. Unlike the JDK, it assumes that both address families are available.
     */
    static LookupPolicy platformLookupPolicy() {
        if (Boolean.getBoolean("java.net.preferIPv4Stack")) {
            return LookupPolicy.of(LookupPolicy.IPV4);
        }
        String preferIpv6 = System.getProperty("java.net.preferIPv6Addresses", "false");
        if (preferIpv6.equalsIgnoreCase("true")) {
            return LookupPolicy.of(LookupPolicy.IPV4 | LookupPolicy.IPV6 | LookupPolicy.IPV6_FIRST);
        }
        if (preferIpv6.equalsIgnoreCase("system")) {
            return LookupPolicy.of(LookupPolicy.IPV4 | LookupPolicy.IPV6);
        }
        return LookupPolicy.of(LookupPolicy.IPV4 | LookupPolicy.IPV6 | LookupPolicy.IPV4_FIRST);
    }

    private static List<InetAddress> concat(List<InetAddress> first, List<InetAddress> second) {
        List<InetAddress> both = new ArrayList<>(first);
        both.addAll(second);
        return both;
    }
}
