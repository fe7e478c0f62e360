package dev.mooring.host.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.host.HostServices;
import dev.mooring.host.config.HostOptions;
import dev.mooring.host.config.OptionParser;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The allowlist's parsing, its host and address checks, and the address classes; no DNS lookup. */
class EgressPolicyTest {

    // ---- Address classes ------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "0.0.0.0, UNSPECIFIED",
        "0.1.2.3, UNSPECIFIED",
        "::, UNSPECIFIED",
        "127.0.0.1, LOOPBACK",
        "127.255.255.254, LOOPBACK",
        "::1, LOOPBACK",
        "10.0.0.1, PRIVATE",
        "10.255.255.255, PRIVATE",
        "172.16.0.1, PRIVATE",
        "172.31.255.255, PRIVATE",
        "192.168.1.1, PRIVATE",
        "fc00::1, PRIVATE",
        "fd12:3456::1, PRIVATE",
        "169.254.169.254, LINK_LOCAL",
        "fe80::1, LINK_LOCAL",
        "febf::1, LINK_LOCAL",
        "100.64.0.1, CARRIER_GRADE_NAT",
        "100.127.255.255, CARRIER_GRADE_NAT",
        "224.0.0.1, MULTICAST",
        "239.255.255.250, MULTICAST",
        "ff02::1, MULTICAST",
        "240.0.0.1, RESERVED",
        "255.255.255.255, RESERVED",
        "192.0.0.8, RESERVED",
        "198.18.0.1, RESERVED",
        "198.19.255.255, RESERVED",
        "fec0::1, RESERVED",
        "::ffff:127.0.0.1, LOOPBACK",
        "::ffff:10.1.2.3, PRIVATE",
        "::127.0.0.1, LOOPBACK",
        "64:ff9b::a9fe:a9fe, LINK_LOCAL",
        "2002:c0a8:0101::1, PRIVATE",
        "1.1.1.1, PUBLIC",
        "8.8.8.8, PUBLIC",
        "172.15.255.255, PUBLIC",
        "172.32.0.1, PUBLIC",
        "100.63.255.255, PUBLIC",
        "100.128.0.1, PUBLIC",
        "169.253.0.1, PUBLIC",
        "198.20.0.1, PUBLIC",
        "192.0.2.1, PUBLIC",
        "2001:4860:4860::8888, PUBLIC",
        "64:ff9b::808:808, PUBLIC",
        "2002:808:808::1, PUBLIC",
    })
    void addressClassOfLiteral(String literal, AddressClass expected) {
        assertEquals(expected, AddressClass.of(InetAddress.ofLiteral(literal)), literal);
    }

    @Test
    void addressClassOfRawBytes() throws UnknownHostException {
        byte[] mappedLoopback = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 127, 0, 0, 1};
        byte[] linkLocal = {(byte) 0xfe, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 5};

        assertEquals(AddressClass.LOOPBACK, AddressClass.of(InetAddress.getByAddress(mappedLoopback)));
        assertEquals(AddressClass.LINK_LOCAL, AddressClass.of(InetAddress.getByAddress(linkLocal)));
        assertEquals(AddressClass.PRIVATE, AddressClass.of(InetAddress.getByAddress(new byte[] {10, 9, 8, 7})));
        assertEquals(AddressClass.PUBLIC, AddressClass.of(InetAddress.getByAddress(new byte[] {93, (byte) 184, (byte) 215, 14})));
    }

    // ---- Parsing --------------------------------------------------------------------------------

    @Test
    void parseNormalizesEntries() {
        EgressPolicy policy = EgressPolicy.parse(" API.Example.com. , *.Example.org,127.0.0.1,[::1],10.1.2.3/8,fd00::/8,b\u00fccher.test");

        assertEquals(List.of("api.example.com", "*.example.org", "127.0.0.1", "0:0:0:0:0:0:0:1", "10.0.0.0/8", "fd00:0:0:0:0:0:0:0/8",
                "xn--bcher-kva.test"), policy.entries());
        assertFalse(policy.allowsNothing());
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", " ", "a,,b", "http://example.com", "example.com:443", "example.com/path", "user@example.com",
        "*.", "a.*.example.com", "*example.com", "10.0.0.0/33", "::/129", "10.0.0.0/x", "10.0.0.0/", "256.1.1.1",
        "010.0.0.1", "127.1", "0x7f.0.0.1", "fe80::1%eth0", "1.2.3.4.5", "exa mple.com"})
    void parseRejectsInvalidEntry(String text) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> EgressPolicy.parse(text));
        assertFalse(error.getMessage().isBlank());
    }

    @Test
    void parseErrorNamesTheEntry() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> EgressPolicy.parse("api.example.com,example.com:8080"));

        assertTrue(error.getMessage().contains("'example.com:8080'"), error.getMessage());
    }

    @Test
    void optionsReachHostSettings() {
        OptionParser.Parsed options = OptionParser.parse(List.of("app", "--allow-fetch", "api.example.com,127.0.0.1",
                "--fetch-timeout", "5s", "--fetch-max-response", "1MiB"), HostOptions.DEV, "dev");

        EgressSettings egress = HostServices.Settings.from(options, Path.of("data"), true).egress();

        assertEquals(List.of("api.example.com", "127.0.0.1"), egress.policy().entries());
        assertEquals(Duration.ofSeconds(5), egress.timeout());
        assertEquals(1L << 20, egress.maxResponseBytes());
    }

    @Test
    void optionDefaultsDenyEverything() {
        OptionParser.Parsed options = OptionParser.parse(List.of("app"), HostOptions.DEV, "dev");

        EgressSettings egress = HostServices.Settings.from(options, Path.of("data"), true).egress();

        assertTrue(egress.policy().allowsNothing());
        assertEquals(Duration.ofSeconds(30), egress.timeout());
        assertEquals(32L << 20, egress.maxResponseBytes());
        assertEquals(EgressSettings.DEFAULTS, egress);
    }

    // ---- Host checks ----------------------------------------------------------------------------

    @Test
    void denyAllBlocksEveryHost() {
        for (String host : List.of("example.com", "127.0.0.1", "[::1]", "localhost")) {
            Optional<EgressPolicy.Rejection> rejection = EgressPolicy.DENY_ALL.checkHost(host);

            assertTrue(rejection.isPresent(), host);
            assertTrue(rejection.get().message().contains("outbound fetch() is disabled"), rejection.get().message());
            assertTrue(rejection.get().message().contains("--allow-fetch"), rejection.get().message());
        }
    }

    @Test
    void exactNameMatchesOnlyItself() {
        EgressPolicy policy = EgressPolicy.parse("api.example.com");

        assertTrue(policy.checkHost("api.example.com").isEmpty());
        assertTrue(policy.checkHost("api.example.com.").isEmpty());
        assertTrue(policy.checkHost("example.com").isPresent());
        assertTrue(policy.checkHost("x.api.example.com").isPresent());
        assertTrue(policy.checkHost("api.example.com.evil.test").isPresent());
    }

    @Test
    void unlistedLoopbackNameMessageSuggestsNameAndAddress() {
        EgressPolicy.Rejection rejection = EgressPolicy.parse("api.example.com").checkHost("localhost").orElseThrow();

        assertEquals("fetch() to localhost was blocked because the host is not on the allowlist. To allow it, add"
                + " localhost,127.0.0.1 to the --allow-fetch option of the host, such as --allow-fetch"
                + " api.example.com,localhost,127.0.0.1.",
                rejection.message());
    }

    @Test
    void loopbackNameWithListedAddressSuggestsName() {
        EgressPolicy policy = EgressPolicy.parse("127.0.0.1");
        EgressPolicy.Rejection rejection = policy.checkHost("localhost").orElseThrow();
        EgressPolicy suggested = EgressPolicy.parse("localhost,127.0.0.1");

        assertEquals("fetch() to localhost was blocked because the host is not on the allowlist. To allow it, add"
                + " localhost to the --allow-fetch option of the host, such as --allow-fetch 127.0.0.1,localhost.",
                rejection.message());
        assertTrue(suggested.checkHost("localhost").isEmpty());
        assertTrue(suggested.checkResolved("localhost", List.of(InetAddress.ofLiteral("127.0.0.1"))).isEmpty());
    }

    @Test
    void unlistedNameMessageSaysHowToAllow() {
        EgressPolicy.Rejection rejection = EgressPolicy.parse("api.example.com").checkHost("example.invalid").orElseThrow();

        assertEquals("example.invalid", rejection.host());
        assertEquals("fetch() to example.invalid was blocked because the host is not on the allowlist. To allow it, add"
                + " example.invalid to the --allow-fetch option of the host, such as --allow-fetch"
                + " api.example.com,example.invalid.",
                rejection.message());
    }

    @Test
    void wildcardMatchesNamesBelowOnly() {
        EgressPolicy policy = EgressPolicy.parse("*.example.com");

        assertTrue(policy.checkHost("a.example.com").isEmpty());
        assertTrue(policy.checkHost("a.b.example.com").isEmpty());
        assertTrue(policy.checkHost("example.com").isPresent());
        assertTrue(policy.checkHost("badexample.com").isPresent());
        assertTrue(policy.checkHost("example.com.evil.test").isPresent());
    }

    @Test
    void starMatchesNamesButNotAddresses() {
        EgressPolicy policy = EgressPolicy.parse("*");

        assertTrue(policy.checkHost("anything.example").isEmpty());
        assertTrue(policy.checkHost("93.184.215.14").isPresent());
        assertTrue(policy.checkHost("[2001:db8::1]").isPresent());
    }

    @Test
    void literalAddressMustBeListed() {
        EgressPolicy policy = EgressPolicy.parse("localhost,example.com");

        EgressPolicy.Rejection rejection = policy.checkHost("127.0.0.1").orElseThrow();
        assertEquals("fetch() to 127.0.0.1 was blocked because an IP address in a URL must be listed by address, and"
                + " 127.0.0.1 is not. To allow it, add 127.0.0.1 to the --allow-fetch option of the host, such as"
                + " --allow-fetch localhost,example.com,127.0.0.1.", rejection.message());
        assertTrue(policy.checkHost("[::1]").isPresent());
        assertTrue(policy.checkHost("93.184.215.14").isPresent());
    }

    @Test
    void listedAddressesAndRangesAllowLiterals() {
        EgressPolicy policy = EgressPolicy.parse("127.0.0.1,10.0.0.0/8,::1,fd00::/8");

        assertTrue(policy.checkHost("127.0.0.1").isEmpty());
        assertTrue(policy.checkHost("127.0.0.2").isPresent());
        assertTrue(policy.checkHost("10.200.3.4").isEmpty());
        assertTrue(policy.checkHost("11.0.0.1").isPresent());
        assertTrue(policy.checkHost("[::1]").isEmpty());
        assertTrue(policy.checkHost("[fd12::1]").isEmpty());
        assertTrue(policy.checkHost("[fe80::1]").isPresent());
        assertTrue(policy.checkHost("example.com").isPresent());
    }

    @Test
    void zeroPrefixRangeListsWholeFamily() {
        EgressPolicy policy = EgressPolicy.parse("0.0.0.0/0");

        assertTrue(policy.checkHost("127.0.0.1").isEmpty());
        assertTrue(policy.checkHost("8.8.8.8").isEmpty());
        assertTrue(policy.checkHost("[::1]").isPresent());
    }

    // ---- Resolved addresses ---------------------------------------------------------------------

    @Test
    void resolvedPublicAddressesPass() {
        EgressPolicy policy = EgressPolicy.parse("api.example.com");

        assertTrue(policy.checkResolved("api.example.com",
                List.of(InetAddress.ofLiteral("93.184.215.14"), InetAddress.ofLiteral("2606:2800:21f:cb07:6820:80da:af6b:8b2c"))).isEmpty());
    }

    @Test
    void nameResolvingToLoopbackIsBlocked() {
        EgressPolicy policy = EgressPolicy.parse("localhost");

        EgressPolicy.Rejection rejection = policy.checkResolved("localhost", List.of(InetAddress.ofLiteral("127.0.0.1"))).orElseThrow();

        assertEquals("fetch() to localhost was blocked because it resolves to 127.0.0.1, a loopback address, which is"
                + " reachable only when listed by address. To allow it, add 127.0.0.1 to the --allow-fetch option of the"
                + " host, such as --allow-fetch localhost,127.0.0.1.", rejection.message());
    }

    @Test
    void anyNonPublicResolvedAddressBlocks() {
        EgressPolicy policy = EgressPolicy.parse("mixed.example");
        List<InetAddress> addresses = List.of(InetAddress.ofLiteral("93.184.215.14"), InetAddress.ofLiteral("169.254.169.254"));

        EgressPolicy.Rejection rejection = policy.checkResolved("mixed.example", addresses).orElseThrow();

        assertTrue(rejection.message().contains("169.254.169.254, a link-local address"), rejection.message());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"0.0.0.0", "10.0.0.1", "172.20.0.1", "192.168.0.1", "100.100.100.100", "224.0.0.1", "240.0.0.1",
        "::", "::1", "fd00::1", "fe80::1", "ff02::1", "::ffff:127.0.0.1", "64:ff9b::7f00:1"})
    void resolvedNonPublicAddressIsBlocked(String literal) {
        EgressPolicy policy = EgressPolicy.parse("internal.example");

        assertTrue(policy.checkResolved("internal.example", List.of(InetAddress.ofLiteral(literal))).isPresent(), literal);
    }

    @Test
    void resolvedAddressListedByAddressPasses() {
        EgressPolicy policy = EgressPolicy.parse("localhost,127.0.0.1,::1,internal.example,10.0.0.0/8");

        assertTrue(policy.checkResolved("localhost", List.of(InetAddress.ofLiteral("127.0.0.1"), InetAddress.ofLiteral("::1"))).isEmpty());
        assertTrue(policy.checkResolved("internal.example", List.of(InetAddress.ofLiteral("10.9.8.7"))).isEmpty());
        assertTrue(policy.checkResolved("internal.example", List.of(InetAddress.ofLiteral("192.168.0.1"))).isPresent());
    }
}
