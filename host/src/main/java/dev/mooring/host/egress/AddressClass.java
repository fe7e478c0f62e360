package dev.mooring.host.egress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/**
 * The kinds of IP address that outbound {@code fetch()} treats differently. Every class but {@link
 * #PUBLIC} names addresses that reach this machine or its private networks, which guest code may
 * reach only when the address (or a range holding it) is listed by address in the allowlist.
 *
 * <p>IPv6 addresses that carry an IPv4 address inside them are classified by that IPv4 address
 * when it is not public: IPv4-compatible ({@code ::a.b.c.d}), NAT64 ({@code 64:ff9b::/96}) and
 * 6to4 ({@code 2002::/16}). The JDK already turns IPv4-mapped literals ({@code ::ffff:a.b.c.d})
 * into {@link Inet4Address}.
 */
public enum AddressClass {

    /** 0.0.0.0/8 and {@code ::}; Linux connects 0.0.0.0 to the local machine. */
    UNSPECIFIED("an unspecified address"),

    /** 127.0.0.0/8 and {@code ::1}. */
    LOOPBACK("a loopback address"),

    /** 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 (RFC 1918) and fc00::/7 (unique local). */
    PRIVATE("a private address"),

    /** 169.254.0.0/16 and fe80::/10, which includes cloud metadata services such as 169.254.169.254. */
    LINK_LOCAL("a link-local address"),

    /** 100.64.0.0/10, the shared address space of carrier-grade NAT (RFC 6598). */
    CARRIER_GRADE_NAT("a carrier-grade NAT address"),

    /** 224.0.0.0/4 and ff00::/8. */
    MULTICAST("a multicast address"),

    /**
     * Other ranges that are not globally reachable: 192.0.0.0/24 (IETF protocol assignments),
     * 198.18.0.0/15 (benchmarking), 240.0.0.0/4 (reserved, with the broadcast address) and
     * fec0::/10 (deprecated site-local).
     */
    RESERVED("a reserved address"),

    /** Any other address. */
    PUBLIC("a public address");

    private final String description;

    AddressClass(String description) {
        this.description = description;
    }

    /** Returns the class as a noun phrase for messages, such as "a loopback address". */
    public String description() {
        return description;
    }

    /** Classifies an address by its bytes; never does a DNS lookup. */
    public static AddressClass of(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return ofIpv4(bytes, 0);
        }
        if (address instanceof Inet6Address) {
            return ofIpv6(bytes);
        }
        throw new IllegalArgumentException("Unknown address type: " + address);
    }

    private static AddressClass ofIpv4(byte[] bytes, int offset) {
        int a = bytes[offset] & 0xff;
        int b = bytes[offset + 1] & 0xff;
        int c = bytes[offset + 2] & 0xff;
        if (a == 0) {
            return UNSPECIFIED;
        }
        if (a == 127) {
            return LOOPBACK;
        }
        if (a == 10 || (a == 172 && (b & 0xf0) == 16) || (a == 192 && b == 168)) {
            return PRIVATE;
        }
        if (a == 169 && b == 254) {
            return LINK_LOCAL;
        }
        if (a == 100 && (b & 0xc0) == 64) {
            return CARRIER_GRADE_NAT;
        }
        if ((a & 0xf0) == 224) {
            return MULTICAST;
        }
        if ((a & 0xf0) == 240 || (a == 192 && b == 0 && c == 0) || (a == 198 && (b & 0xfe) == 18)) {
            return RESERVED;
        }
        return PUBLIC;
    }

    private static AddressClass ofIpv6(byte[] bytes) {
        int first = bytes[0] & 0xff;
        int second = bytes[1] & 0xff;
        if (isZero(bytes, 0, 16)) {
            return UNSPECIFIED;
        }
        if (isZero(bytes, 0, 15) && bytes[15] == 1) {
            return LOOPBACK;
        }
        if ((first & 0xfe) == 0xfc) {
            return PRIVATE;
        }
        if (first == 0xfe && (second & 0xc0) == 0x80) {
            return LINK_LOCAL;
        }
        if (first == 0xfe && (second & 0xc0) == 0xc0) {
            return RESERVED;
        }
        if (first == 0xff) {
            return MULTICAST;
        }
        AddressClass embedded = embeddedIpv4Class(bytes);
        return embedded != null ? embedded : PUBLIC;
    }

    /** Returns the class of an IPv4 address carried inside an IPv6 one, or null when there is none. */
    private static AddressClass embeddedIpv4Class(byte[] bytes) {
        // IPv4-compatible ::a.b.c.d (deprecated, but a socket may still route it).
        if (isZero(bytes, 0, 12)) {
            return ofIpv4(bytes, 12);
        }
        // NAT64 well-known prefix 64:ff9b::/96.
        if ((bytes[0] & 0xff) == 0x00 && (bytes[1] & 0xff) == 0x64 && (bytes[2] & 0xff) == 0xff && (bytes[3] & 0xff) == 0x9b
                && isZero(bytes, 4, 12)) {
            return ofIpv4(bytes, 12);
        }
        // 6to4 2002:a.b.c.d::/48 carries the IPv4 address in bytes 2 to 5.
        if ((bytes[0] & 0xff) == 0x20 && (bytes[1] & 0xff) == 0x02) {
            return ofIpv4(bytes, 2);
        }
        return null;
    }

    private static boolean isZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
