package dev.mooring.host.http;

import java.net.InetAddress;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The reverse proxies whose report of the client's address the HTTP frontend accepts, and the
 * rule that picks the address a request's {@code CF-Connecting-IP} header gets.
 *
 * <p>Addresses match exactly, by their IPv4 or IPv6 bytes; there are no ranges and no host names,
 * so matching never does a DNS lookup. An IPv4-mapped IPv6 literal such as
 * {@code ::ffff:10.0.0.1} is the IPv4 address, as the JDK reports such peers. Instances are
 * immutable and safe to share between I/O threads.
 */
public final class TrustedProxies {

    /** No trusted proxy: every request's {@code CF-Connecting-IP} is its connection's peer address. */
    public static final TrustedProxies NONE = new TrustedProxies(Set.of());

    private final Set<InetAddress> addresses;

    private TrustedProxies(Set<InetAddress> addresses) {
        this.addresses = addresses;
    }

    /**
     * Parses a comma-separated list of IPv4 or IPv6 address literals, such as
     * {@code 127.0.0.1,::1}. IPv6 literals may be written in brackets.
     *
     * @throws IllegalArgumentException naming the entry that is not an IP address
     */
    public static TrustedProxies parse(String text) {
        if (text.isBlank()) {
            throw new IllegalArgumentException("expected one or more IP addresses separated by commas, such as 127.0.0.1,::1");
        }
        Set<InetAddress> parsed = new LinkedHashSet<>();
        for (String entry : text.split(",", -1)) {
            String literal = entry.trim();
            if (literal.isEmpty()) {
                throw new IllegalArgumentException("the list has an empty entry; separate IP addresses with single commas,"
                        + " such as 127.0.0.1,::1");
            }
            try {
                parsed.add(InetAddress.ofLiteral(literal));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + literal + "' is not an IP address; give exact IPv4 or IPv6 addresses"
                        + " such as 10.0.0.5 or ::1 (host names and ranges are not accepted)", e);
            }
        }
        return new TrustedProxies(Set.copyOf(parsed));
    }

    /** Returns whether {@code peer} is one of the trusted addresses. */
    public boolean contains(InetAddress peer) {
        return addresses.contains(peer);
    }

    public boolean isEmpty() {
        return addresses.isEmpty();
    }

    /** Returns the trusted addresses in their canonical text form, sorted, for logs. */
    public List<String> addresses() {
        return addresses.stream().map(InetAddress::getHostAddress).sorted().toList();
    }

    /**
     * Picks the value of a request's {@code CF-Connecting-IP} header.
     *
     * <p>From a trusted proxy, the first {@code CF-Connecting-IP} value it sent is kept as sent
     * (trimmed); without one, the first entry of its first {@code X-Forwarded-For} value is used.
     * Neither value is checked to be an IP address, because the proxy is trusted to write it. From
     * any other peer, and when both headers are missing or blank, the result is the peer's address.
     *
     * @param peer the address of the connection's other end
     * @param connectingIp the first {@code CF-Connecting-IP} value of the request, or null
     * @param forwardedFor the first {@code X-Forwarded-For} value of the request, or null
     */
    String clientAddress(InetAddress peer, String connectingIp, String forwardedFor) {
        if (contains(peer)) {
            if (connectingIp != null && !connectingIp.isBlank()) {
                return connectingIp.trim();
            }
            if (forwardedFor != null) {
                String first = forwardedFor.split(",", 2)[0].trim();
                if (!first.isEmpty()) {
                    return first;
                }
            }
        }
        return peer.getHostAddress();
    }

    @Override
    public String toString() {
        return addresses.isEmpty() ? "none" : String.join(",", addresses());
    }
}
