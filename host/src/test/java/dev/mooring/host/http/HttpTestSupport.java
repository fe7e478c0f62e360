package dev.mooring.host.http;

import dev.mooring.host.TestHost;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/** A tiny project for the listener tests, and HTTP clients that trust one development certificate. */
final class HttpTestSupport {

    private HttpTestSupport() {}

    /**
     * Writes a project whose Worker echoes the request ({@code /echo}), reports the URL scheme
     * ({@code /scheme}) and the {@code CF-Connecting-IP} header ({@code /ip}), and forwards
     * {@code /count/NAME} to a counting Durable Object.
     */
    static Path writeProject(Path directory) throws IOException {
        return TestHost.writeProject(directory, Map.of(
                "wrangler.toml", """
                        name = "listeners"
                        main = "worker.js"
                        [durable_objects]
                        bindings = [ { name = "COUNTER", class_name = "Counter" } ]
                        [[migrations]]
                        tag = "v1"
                        new_classes = ["Counter"]
                        """,
                "worker.js", """
                        export class Counter {
                          constructor(state) { this.state = state; }
                          async fetch(request) {
                            const count = ((await this.state.storage.get("count")) || 0) + 1;
                            await this.state.storage.put("count", count);
                            return new Response(String(count));
                          }
                        }
                        export default {
                          async fetch(request, env) {
                            const url = new URL(request.url);
                            if (url.pathname === "/scheme") {
                              return new Response(url.protocol);
                            }
                            if (url.pathname === "/ip") {
                              return new Response(request.headers.get("cf-connecting-ip"));
                            }
                            if (url.pathname.startsWith("/count/")) {
                              const name = url.pathname.slice("/count/".length);
                              return env.COUNTER.get(env.COUNTER.idFromName(name)).fetch(request);
                            }
                            const body = await request.text();
                            return new Response(request.method + " " + url.pathname + url.search + " " + body, {
                              status: 201,
                              headers: { "x-echo": "yes" },
                            });
                          }
                        };
                        """));
    }

    /** Reads the certificate of the development keystore the way a user would, with its public password. */
    static X509Certificate certificateIn(Path keystoreFile) throws IOException, GeneralSecurityException {
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystoreFile)) {
            keyStore.load(in, DevCertificate.KEYSTORE_PASSWORD.toCharArray());
        }
        return (X509Certificate) keyStore.getCertificate(DevCertificate.ALIAS);
    }

    /** Builds a TLS context whose only trust anchor is the certificate in {@code keystoreFile}. */
    static SSLContext trusting(Path keystoreFile) throws IOException, GeneralSecurityException {
        KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
        trustStore.load(null, null);
        trustStore.setCertificateEntry("mooring-dev", certificateIn(keystoreFile));
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trustStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trustManagers.getTrustManagers(), null);
        return context;
    }

    /** Builds an HTTP client that trusts only the certificate in {@code keystoreFile}, with host name verification on. */
    static HttpClient clientTrusting(Path keystoreFile) throws IOException, GeneralSecurityException {
        return HttpClient.newBuilder()
                .sslContext(trusting(keystoreFile))
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** Like {@link #clientTrusting}, offering only the TLS version {@code protocol}, such as TLSv1.2. */
    static HttpClient clientTrusting(Path keystoreFile, String protocol) throws IOException, GeneralSecurityException {
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(new String[] {protocol});
        return HttpClient.newBuilder()
                .sslContext(trusting(keystoreFile))
                .sslParameters(parameters)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    static HttpResponse<String> get(HttpClient client, URI uri) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String sha256Fingerprint(X509Certificate certificate) throws GeneralSecurityException {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
    }
}
