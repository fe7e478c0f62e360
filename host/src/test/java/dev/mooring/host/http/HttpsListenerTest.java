package dev.mooring.host.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.host.TestHost;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTPS listener of a real host on 127.0.0.1, checked with clients that trust only its development certificate. */
class HttpsListenerTest {

    private static final TestHost.Options HTTPS = TestHost.Options.defaults().withHttps();

    @TempDir
    Path project;

    @TempDir
    Path data;

    @Test
    void httpsMatchesHttpResponse() throws Exception {
        HttpTestSupport.writeProject(project);
        try (TestHost host = TestHost.start(project, data, HTTPS);
                HttpClient tlsClient = HttpTestSupport.clientTrusting(DevCertificate.defaultKeystoreFile(data))) {
            HttpResponse<String> overHttp = post(host.client(), host.uri("/echo?x=1"));
            HttpResponse<String> overHttps = post(tlsClient, host.httpsUri("/echo?x=1"));

            assertEquals(201, overHttp.statusCode(), overHttp.body());
            assertEquals("POST /echo?x=1 hello", overHttp.body());
            assertEquals(overHttp.statusCode(), overHttps.statusCode());
            assertEquals(overHttp.body(), overHttps.body());
            assertEquals("yes", overHttps.headers().firstValue("x-echo").orElse(null));
            assertTrue(overHttps.sslSession().isPresent(), "the HTTPS response came over TLS");
        }
    }

    @Test
    void httpsSharesObjectsWithHttp() throws Exception {
        HttpTestSupport.writeProject(project);
        try (TestHost host = TestHost.start(project, data, HTTPS);
                HttpClient tlsClient = HttpTestSupport.clientTrusting(DevCertificate.defaultKeystoreFile(data))) {
            assertEquals("1", host.get("/count/apples").body());
            assertEquals("2", HttpTestSupport.get(tlsClient, host.httpsUri("/count/apples")).body());
            assertEquals("3", host.get("/count/apples").body());
        }
    }

    @Test
    void guestSeesRequestScheme() throws Exception {
        HttpTestSupport.writeProject(project);
        try (TestHost host = TestHost.start(project, data, HTTPS);
                HttpClient tlsClient = HttpTestSupport.clientTrusting(DevCertificate.defaultKeystoreFile(data))) {
            assertEquals("http:", host.get("/scheme").body());
            assertEquals("https:", HttpTestSupport.get(tlsClient, host.httpsUri("/scheme")).body());
        }
    }

    @Test
    void certificateIsReusedOnRestart() throws Exception {
        HttpTestSupport.writeProject(project);
        Path keystore = DevCertificate.defaultKeystoreFile(data);
        String firstFingerprint;
        try (TestHost host = TestHost.start(project, data, HTTPS);
                HttpClient tlsClient = HttpTestSupport.clientTrusting(keystore)) {
            firstFingerprint = servedFingerprint(tlsClient, host);
        }
        assertEquals(HttpTestSupport.sha256Fingerprint(HttpTestSupport.certificateIn(keystore)), firstFingerprint,
                "the listener presents the certificate in the keystore");

        try (TestHost host = TestHost.start(project, data, HTTPS);
                HttpClient tlsClient = HttpTestSupport.clientTrusting(keystore)) {
            assertEquals(firstFingerprint, servedFingerprint(tlsClient, host));
        }
    }

    @Test
    void keystoreHasOwnerOnlyMode() throws Exception {
        HttpTestSupport.writeProject(project);
        try (TestHost host = TestHost.start(project, data, HTTPS)) {
            Path keystore = DevCertificate.defaultKeystoreFile(data);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore)));
        }
    }

    @Test
    void tls12AndTls13AreAccepted() throws Exception {
        HttpTestSupport.writeProject(project);
        Path keystore = DevCertificate.defaultKeystoreFile(data);
        try (TestHost host = TestHost.start(project, data, HTTPS)) {
            for (String protocol : new String[] {"TLSv1.2", "TLSv1.3"}) {
                try (HttpClient client = HttpTestSupport.clientTrusting(keystore, protocol)) {
                    HttpResponse<String> response = HttpTestSupport.get(client, host.httpsUri("/scheme"));

                    assertEquals("https:", response.body(), protocol);
                    assertEquals(protocol, response.sslSession().orElseThrow().getProtocol());
                }
            }
        }
    }

    @Test
    void clientWithoutTrustRejectsCertificate() throws Exception {
        HttpTestSupport.writeProject(project);
        try (TestHost host = TestHost.start(project, data, HTTPS);
                HttpClient defaultClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            IOException error = assertThrows(IOException.class, () -> HttpTestSupport.get(defaultClient, host.httpsUri("/scheme")));

            assertInstanceOf(SSLHandshakeException.class, error, error.toString());
        }
    }

    @Test
    void httpOnlyHostHasNoHttpsListener() throws Exception {
        HttpTestSupport.writeProject(project);
        try (TestHost host = TestHost.start(project, data)) {
            IllegalStateException error = assertThrows(IllegalStateException.class, () -> host.httpsUri("/"));

            assertTrue(error.getMessage().contains("--https-port"), error.getMessage());
            assertTrue(Files.notExists(DevCertificate.defaultKeystoreFile(data)), "no certificate is created without HTTPS");
        }
    }

    @Test
    void occupiedHttpsPortFailsStart() throws Exception {
        try (ServerSocket occupied = new ServerSocket(0, 1, InetAddress.ofLiteral("127.0.0.1"))) {
            HttpFrontend.Https https = new HttpFrontend.Https(occupied.getLocalPort(), DevCertificate.defaultKeystoreFile(data));
            HttpFrontend frontend = new HttpFrontend(new HttpFrontend.Settings("127.0.0.1", 0, 1, 1 << 20, Optional.of(https),
                    TrustedProxies.NONE, true), (request, sink) -> {});

            RuntimeException error = assertThrows(RuntimeException.class, frontend::start);

            assertInstanceOf(BindException.class, error.getCause(), error.toString());
            assertThrows(IllegalStateException.class, frontend::port, "a failed start leaves no listener");
            frontend.close();
        }
    }

    private static HttpResponse<String> post(HttpClient client, URI uri) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri)
                        .POST(HttpRequest.BodyPublishers.ofString("hello"))
                        .timeout(Duration.ofSeconds(60))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String servedFingerprint(HttpClient client, TestHost host) throws Exception {
        HttpResponse<String> response = HttpTestSupport.get(client, host.httpsUri("/scheme"));
        X509Certificate served = (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
        return HttpTestSupport.sha256Fingerprint(served);
    }
}
