package dev.mooring.host.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.host.HostServices;
import dev.mooring.host.config.HostOptions;
import dev.mooring.host.config.OptionParser;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code --https-port} and {@code --trusted-proxy} options of {@code mooring dev}, as parsed into listener settings. */
class ListenerOptionsTest {

    private static final Path DATA = Path.of("/srv/project/.mooring");

    @Test
    void defaultsHaveNoHttpsAndNoProxy() {
        HttpFrontend.Settings http = settings(List.of("app"));

        assertTrue(http.https().isEmpty());
        assertTrue(http.trustedProxies().isEmpty());
        assertEquals(null, HostOptions.HTTPS_PORT.defaultValue(), "--help shows the default as none");
        assertEquals(null, HostOptions.TRUSTED_PROXY.defaultValue(), "--help shows the default as none");
        assertTrue(HostOptions.DEV.contains(HostOptions.HTTPS_PORT));
        assertTrue(HostOptions.DEV.contains(HostOptions.TRUSTED_PROXY));
    }

    @Test
    void httpsPortKeepsCertificateUnderData() {
        HttpFrontend.Settings http = settings(List.of("app", "--https-port", "8443"));

        assertEquals(8443, http.https().orElseThrow().port());
        assertEquals(DATA.resolve("tls/dev-certificate.p12"), http.https().orElseThrow().keystoreFile());
    }

    @Test
    void trustedProxyListIsParsed() {
        HttpFrontend.Settings http = settings(List.of("app", "--trusted-proxy=127.0.0.1,::1"));

        assertTrue(http.trustedProxies().contains(InetAddress.ofLiteral("127.0.0.1")));
        assertTrue(http.trustedProxies().contains(InetAddress.ofLiteral("::1")));
        assertFalse(http.trustedProxies().contains(InetAddress.ofLiteral("127.0.0.2")));
    }

    @Test
    void invalidHttpsPortIsRejected() {
        assertEquals("Invalid value '70000' for --https-port: a port is a number from 0 to 65535",
                parseError(List.of("app", "--https-port", "70000")));
        assertEquals("Invalid value 'https' for --https-port: expected a whole number",
                parseError(List.of("app", "--https-port", "https")));
        assertEquals("Option --https-port needs a value: PORT", parseError(List.of("app", "--https-port")));
    }

    @Test
    void invalidTrustedProxyIsRejected() {
        assertEquals("Invalid value '127.0.0.1,proxy.local' for --trusted-proxy: 'proxy.local' is not an IP address;"
                        + " give exact IPv4 or IPv6 addresses such as 10.0.0.5 or ::1 (host names and ranges are not accepted)",
                parseError(List.of("app", "--trusted-proxy", "127.0.0.1,proxy.local")));
        assertTrue(parseError(List.of("app", "--trusted-proxy", "10.0.0.0/8")).contains("'10.0.0.0/8' is not an IP address"));
        assertTrue(parseError(List.of("app", "--trusted-proxy=")).contains("expected one or more IP addresses"));
    }

    @Test
    void samePortForHttpAndHttpsIsRejected() {
        OptionParser.Parsed options = OptionParser.parse(List.of("app", "--port", "8443", "--https-port", "8443"),
                HostOptions.DEV, "dev");

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> HostServices.Settings.from(options, DATA, true));

        assertEquals("HTTP and HTTPS cannot share port 8443; give --https-port a different port than --port", error.getMessage());
    }

    @Test
    void portZeroForBothIsAllowed() {
        HttpFrontend.Settings http = settings(List.of("app", "--port", "0", "--https-port", "0"));

        assertEquals(0, http.port());
        assertEquals(0, http.https().orElseThrow().port());
    }

    private static HttpFrontend.Settings settings(List<String> arguments) {
        return HostServices.Settings.from(OptionParser.parse(arguments, HostOptions.DEV, "dev"), DATA, true).http();
    }

    private static String parseError(List<String> arguments) {
        return assertThrows(IllegalArgumentException.class, () -> OptionParser.parse(arguments, HostOptions.DEV, "dev"))
                .getMessage();
    }
}
