package dev.mooring.host.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mooring.host.TestHost;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code CF-Connecting-IP} header that guest code receives, for requests over real sockets from
 * 127.0.0.1 with and without 127.0.0.1 as a trusted proxy.
 */
class ConnectingIpTest {

    @TempDir
    Path project;

    @TempDir
    Path data;

    @Test
    void untrustedPeerHeaderIsReplaced() throws Exception {
        HttpTestSupport.writeProject(project);
        try (TestHost host = TestHost.start(project, data)) {
            assertEquals("127.0.0.1", clientAddress(host, null, null));
            assertEquals("127.0.0.1", clientAddress(host, "203.0.113.7", null));
            assertEquals("127.0.0.1", clientAddress(host, null, "198.51.100.1"));
            assertEquals("127.0.0.1", clientAddress(host, "203.0.113.7", "198.51.100.1"));
        }
    }

    @Test
    void otherTrustedAddressesDoNotMatch() throws Exception {
        HttpTestSupport.writeProject(project);
        TestHost.Options options = TestHost.Options.defaults().withTrustedProxies(TrustedProxies.parse("::1,10.0.0.1,127.0.0.2"));
        try (TestHost host = TestHost.start(project, data, options)) {
            assertEquals("127.0.0.1", clientAddress(host, "203.0.113.7", null));
            assertEquals("127.0.0.1", clientAddress(host, null, "198.51.100.1"));
        }
    }

    @Test
    void trustedPeerHeaderIsKept() throws Exception {
        HttpTestSupport.writeProject(project);
        TestHost.Options options = TestHost.Options.defaults().withTrustedProxies(TrustedProxies.parse("127.0.0.1"));
        try (TestHost host = TestHost.start(project, data, options)) {
            assertEquals("203.0.113.7", clientAddress(host, "203.0.113.7", null));
            assertEquals("2001:db8::7", clientAddress(host, "2001:db8::7", null));
            assertEquals("203.0.113.7", clientAddress(host, "203.0.113.7", "198.51.100.1"), "CF-Connecting-IP wins");
        }
    }

    @Test
    void trustedPeerForwardedForIsUsed() throws Exception {
        HttpTestSupport.writeProject(project);
        TestHost.Options options = TestHost.Options.defaults().withTrustedProxies(TrustedProxies.parse("127.0.0.1"));
        try (TestHost host = TestHost.start(project, data, options)) {
            assertEquals("198.51.100.1", clientAddress(host, null, "198.51.100.1"));
            assertEquals("198.51.100.1", clientAddress(host, null, "198.51.100.1, 10.0.0.2, 10.0.0.3"), "the first entry");
            assertEquals("127.0.0.1", clientAddress(host, null, null), "without either header, the peer");
        }
    }

    @Test
    void trustedPeerHeaderIsKeptOverHttps() throws Exception {
        HttpTestSupport.writeProject(project);
        TestHost.Options options = TestHost.Options.defaults().withHttps().withTrustedProxies(TrustedProxies.parse("127.0.0.1"));
        try (TestHost host = TestHost.start(project, data, options);
                HttpClient tlsClient = HttpTestSupport.clientTrusting(DevCertificate.defaultKeystoreFile(data))) {
            HttpResponse<String> response = send(tlsClient, host.httpsUri("/ip"), "203.0.113.7", null);

            assertEquals("203.0.113.7", response.body());
        }
    }

    @Test
    void untrustedPeerHeaderIsReplacedOverHttps() throws Exception {
        HttpTestSupport.writeProject(project);
        try (TestHost host = TestHost.start(project, data, TestHost.Options.defaults().withHttps());
                HttpClient tlsClient = HttpTestSupport.clientTrusting(DevCertificate.defaultKeystoreFile(data))) {
            HttpResponse<String> response = send(tlsClient, host.httpsUri("/ip"), "203.0.113.7", null);

            assertEquals("127.0.0.1", response.body());
        }
    }

    /** Sends {@code GET /ip} with the given headers (null for none) and returns the address the guest saw. */
    private static String clientAddress(TestHost host, String connectingIp, String forwardedFor) throws Exception {
        HttpResponse<String> response = send(host.client(), host.uri("/ip"), connectingIp, forwardedFor);
        assertEquals(200, response.statusCode(), response.body());
        return response.body();
    }

    private static HttpResponse<String> send(HttpClient client, URI uri, String connectingIp, String forwardedFor) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
        if (connectingIp != null) {
            request.header("CF-Connecting-IP", connectingIp);
        }
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
