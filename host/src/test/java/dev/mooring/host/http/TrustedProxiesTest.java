package dev.mooring.host.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing the trusted proxy list and picking the client address from a proxy's headers. */
class TrustedProxiesTest {

    private static final InetAddress PROXY = InetAddress.ofLiteral("10.0.0.5");
    private static final InetAddress STRANGER = InetAddress.ofLiteral("10.0.0.6");

    @Test
    void parseAcceptsIpv4AndIpv6() {
        TrustedProxies proxies = TrustedProxies.parse("10.0.0.5, ::1,[2001:db8::1]");

        assertTrue(proxies.contains(PROXY));
        assertTrue(proxies.contains(InetAddress.ofLiteral("0:0:0:0:0:0:0:1")));
        assertTrue(proxies.contains(InetAddress.ofLiteral("2001:db8:0::1")));
        assertFalse(proxies.contains(STRANGER));
        assertEquals(List.of("0:0:0:0:0:0:0:1", "10.0.0.5", "2001:db8:0:0:0:0:0:1"), proxies.addresses());
    }

    @Test
    void ipv4MappedAddressIsIpv4() {
        assertTrue(TrustedProxies.parse("::ffff:10.0.0.5").contains(PROXY));
    }

    @Test
    void noneTrustsNobody() {
        assertTrue(TrustedProxies.NONE.isEmpty());
        assertFalse(TrustedProxies.NONE.contains(InetAddress.ofLiteral("127.0.0.1")));
        assertEquals("none", TrustedProxies.NONE.toString());
    }

    @Test
    void parseRejectsNonAddresses() {
        for (String text : List.of("localhost", "10.0.0.0/8", "10.0.0.300", "fe80::1::2")) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(text));

            assertEquals("'" + text + "' is not an IP address; give exact IPv4 or IPv6 addresses such as 10.0.0.5 or ::1"
                    + " (host names and ranges are not accepted)", error.getMessage());
        }
    }

    @Test
    void parseRejectsEmptyEntries() {
        for (String text : List.of("10.0.0.5,,::1", "10.0.0.5,", ",10.0.0.5")) {
            IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(text));

            assertTrue(error.getMessage().contains("empty entry"), text + ": " + error.getMessage());
        }
        IllegalArgumentException blank = assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(" "));
        assertTrue(blank.getMessage().contains("expected one or more IP addresses"), blank.getMessage());
    }

    @Test
    void strangerGetsPeerAddress() {
        TrustedProxies proxies = TrustedProxies.parse("10.0.0.5");

        assertEquals("10.0.0.6", proxies.clientAddress(STRANGER, "203.0.113.7", "198.51.100.1"));
        assertEquals("10.0.0.6", proxies.clientAddress(STRANGER, null, null));
    }

    @Test
    void proxyHeadersPickAddress() {
        TrustedProxies proxies = TrustedProxies.parse("10.0.0.5");

        assertEquals("203.0.113.7", proxies.clientAddress(PROXY, " 203.0.113.7 ", "198.51.100.1"));
        assertEquals("198.51.100.1", proxies.clientAddress(PROXY, null, " 198.51.100.1 ,10.0.0.9"));
        assertEquals("198.51.100.1", proxies.clientAddress(PROXY, "  ", "198.51.100.1"), "a blank CF-Connecting-IP is absent");
        assertEquals("10.0.0.5", proxies.clientAddress(PROXY, null, " , 198.51.100.1"), "an empty first entry is absent");
        assertEquals("10.0.0.5", proxies.clientAddress(PROXY, null, null));
    }
}
