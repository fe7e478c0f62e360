package dev.mooring.host.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Creating, reusing and replacing the development certificate with the JDK's real keytool. */
class DevCertificateTest {

    private static final Path KEYTOOL = Path.of(System.getProperty("java.home"), "bin", "keytool");

    /** General name types of RFC 5280 as {@link X509Certificate#getSubjectAlternativeNames} numbers them. */
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    @TempDir
    Path data;

    @Test
    void createsKeystoreUnderData() throws Exception {
        Path keystore = DevCertificate.defaultKeystoreFile(data);

        DevCertificate certificate = DevCertificate.loadOrCreate(keystore);

        assertEquals(data.resolve("tls/dev-certificate.p12"), keystore);
        assertTrue(certificate.created());
        assertEquals(keystore.toAbsolutePath(), certificate.keystoreFile());
        assertTrue(Files.isRegularFile(keystore));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore)));
        assertEquals(List.of("dev-certificate.p12", "dev-certificate.pem"), filesIn(keystore.getParent()),
                "keytool's temporary folder is removed");
    }

    @Test
    void certificateNamesLoopbackHosts() throws Exception {
        X509Certificate certificate = DevCertificate.loadOrCreate(DevCertificate.defaultKeystoreFile(data)).certificate();

        Set<String> names = certificate.getSubjectAlternativeNames().stream()
                .map(name -> name.get(0) + "=" + name.get(1))
                .collect(Collectors.toSet());
        assertEquals(Set.of(DNS_NAME + "=localhost", IP_ADDRESS + "=127.0.0.1", IP_ADDRESS + "=0:0:0:0:0:0:0:1"), names);
        assertEquals(certificate.getSubjectX500Principal(), certificate.getIssuerX500Principal(), "self-signed");
        assertEquals("EC", certificate.getPublicKey().getAlgorithm());
        assertEquals(List.of("1.3.6.1.5.5.7.3.1"), certificate.getExtendedKeyUsage(), "server authentication only");
    }

    @Test
    void certificateIsValidForTenYears() throws Exception {
        X509Certificate certificate = DevCertificate.loadOrCreate(DevCertificate.defaultKeystoreFile(data)).certificate();

        Duration validity = Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
        assertEquals(DevCertificate.VALIDITY_DAYS, validity.toDays());
        assertEquals(3650, DevCertificate.VALIDITY_DAYS);
    }

    @Test
    void secondLoadReusesCertificate() throws Exception {
        Path keystore = DevCertificate.defaultKeystoreFile(data);
        DevCertificate first = DevCertificate.loadOrCreate(keystore);
        byte[] keystoreBytes = Files.readAllBytes(keystore);

        DevCertificate second = DevCertificate.loadOrCreate(keystore);

        assertFalse(second.created());
        assertEquals(first.sha256Fingerprint(), second.sha256Fingerprint());
        assertEquals(first.certificate(), second.certificate());
        assertArrayEquals(keystoreBytes, Files.readAllBytes(keystore), "the keystore file is unchanged");
    }

    @Test
    void fingerprintIsSha256OfCertificate() throws Exception {
        DevCertificate certificate = DevCertificate.loadOrCreate(DevCertificate.defaultKeystoreFile(data));

        assertEquals(HttpTestSupport.sha256Fingerprint(certificate.certificate()), certificate.sha256Fingerprint());
        assertTrue(certificate.sha256Fingerprint().matches("([0-9A-F]{2}:){31}[0-9A-F]{2}"), certificate.sha256Fingerprint());
    }

    @Test
    void pemCopyHoldsCertificate() throws Exception {
        DevCertificate certificate = DevCertificate.loadOrCreate(DevCertificate.defaultKeystoreFile(data));

        Path pem = certificate.certificateFile();
        assertEquals(data.resolve("tls/dev-certificate.pem").toAbsolutePath(), pem);
        String text = Files.readString(pem);
        assertTrue(text.startsWith("-----BEGIN CERTIFICATE-----\n"), text);
        X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)));
        assertEquals(certificate.certificate(), parsed);
    }

    @Test
    void missingPemCopyIsRewritten() throws Exception {
        Path keystore = DevCertificate.defaultKeystoreFile(data);
        DevCertificate first = DevCertificate.loadOrCreate(keystore);
        String pem = Files.readString(first.certificateFile());
        Files.delete(first.certificateFile());

        DevCertificate second = DevCertificate.loadOrCreate(keystore);

        assertEquals(pem, Files.readString(second.certificateFile()));
    }

    @Test
    void expiredCertificateIsReplaced() throws Exception {
        Path keystore = DevCertificate.defaultKeystoreFile(data);
        DevCertificate first = DevCertificate.loadOrCreate(keystore);
        Instant afterExpiry = first.certificate().getNotAfter().toInstant().plus(Duration.ofDays(1));

        DevCertificate replaced = DevCertificate.loadOrCreate(keystore, KEYTOOL, Clock.fixed(afterExpiry, ZoneOffset.UTC));

        assertTrue(replaced.created());
        assertNotEquals(first.sha256Fingerprint(), replaced.sha256Fingerprint());
        assertEquals(replaced.certificate(), HttpTestSupport.certificateIn(keystore), "the new certificate is stored");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keystore)));
    }

    @Test
    void keytoolFailureReportsStatusAndOutput() throws Exception {
        Path fakeKeytool = data.resolve("fake-keytool");
        Files.writeString(fakeKeytool, "#!/bin/sh\necho 'keytool error: no entropy today' >&2\nexit 3\n");
        Files.setPosixFilePermissions(fakeKeytool, PosixFilePermissions.fromString("rwx------"));
        Path keystore = DevCertificate.defaultKeystoreFile(data);

        DevCertificateException error = assertThrows(DevCertificateException.class,
                () -> DevCertificate.loadOrCreate(keystore, fakeKeytool, Clock.systemUTC()));

        assertTrue(error.getMessage().contains("exit status 3"), error.getMessage());
        assertTrue(error.getMessage().contains("keytool error: no entropy today"), error.getMessage());
        assertTrue(error.getMessage().contains("-genkeypair"), "the message shows the command: " + error.getMessage());
        assertFalse(error.getMessage().contains(DevCertificate.KEYSTORE_PASSWORD), "the password goes through the environment");
        assertTrue(Files.notExists(keystore));
        assertEquals(List.of(), filesIn(keystore.getParent()), "keytool's temporary folder is removed");
    }

    @Test
    void missingKeytoolIsReported() {
        Path missing = data.resolve("no-such-keytool");

        DevCertificateException error = assertThrows(DevCertificateException.class,
                () -> DevCertificate.loadOrCreate(DevCertificate.defaultKeystoreFile(data), missing, Clock.systemUTC()));

        assertTrue(error.getMessage().contains(missing.toString()), error.getMessage());
        assertTrue(error.getMessage().contains("full JDK"), error.getMessage());
    }

    @Test
    void corruptKeystoreIsReported() throws Exception {
        Path keystore = DevCertificate.defaultKeystoreFile(data);
        Files.createDirectories(keystore.getParent());
        Files.writeString(keystore, "not a keystore");

        DevCertificateException error = assertThrows(DevCertificateException.class, () -> DevCertificate.loadOrCreate(keystore));

        assertTrue(error.getMessage().contains(keystore.toString()), error.getMessage());
        assertTrue(error.getMessage().contains("Delete the file"), error.getMessage());
        assertEquals("not a keystore", Files.readString(keystore), "a damaged keystore is left for the user to inspect");
    }

    private static List<String> filesIn(Path directory) throws Exception {
        try (var entries = Files.list(directory)) {
            return entries.map(path -> path.getFileName().toString()).sorted().toList();
        }
    }
}
