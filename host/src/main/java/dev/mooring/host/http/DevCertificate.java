package dev.mooring.host.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The self-signed certificate of the HTTPS listener of {@code mooring dev}: created on first use
 * by the JDK's {@code keytool}, kept as a PKCS#12 keystore under the data directory, and reused
 * by later starts.
 *
 * <p>The certificate names {@code localhost}, {@code 127.0.0.1} and {@code ::1} as subject
 * alternative names, has an EC P-256 key and is valid for {@value #VALIDITY_DAYS} days. No
 * authority signs it, so browsers and HTTP clients reject or warn about it until the user trusts
 * it. For that, a PEM copy of the certificate is kept beside the keystore.
 *
 * <p>The keystore is written with file mode 0600. Its password is the public constant {@link
 * #KEYSTORE_PASSWORD}, so the file mode is what protects the private key, as with any
 * unencrypted development key. An expired or not yet valid certificate is replaced by a new one.
 *
 * <p>Instances are immutable. Creating or loading one does blocking file and process I/O, so call
 * {@link #loadOrCreate} at startup, never on an I/O thread.
 */
public final class DevCertificate {

    private static final Logger log = LoggerFactory.getLogger(DevCertificate.class);

    /** Password of the keystore and of its key entry; public because it protects nothing. */
    public static final String KEYSTORE_PASSWORD = "mooring-development";

    /** Alias of the key entry in the keystore. */
    public static final String ALIAS = "mooring-dev";

    /** TLS versions the listener accepts, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** Validity of a new certificate in days: about 10 years. */
    static final int VALIDITY_DAYS = 3650;

    /** Time keytool may take to create the key pair and certificate; it takes about a second. */
    private static final long KEYTOOL_TIMEOUT_SECONDS = 60;

    private static final String PASSWORD_VARIABLE = "MOORING_DEV_KEYSTORE_PASSWORD";

    private static final Set<PosixFilePermission> OWNER_READ_WRITE =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

    private final Path keystoreFile;
    private final Path certificateFile;
    private final KeyStore keyStore;
    private final X509Certificate certificate;
    private final boolean created;

    private DevCertificate(Path keystoreFile, KeyStore keyStore, X509Certificate certificate, boolean created) {
        this.keystoreFile = keystoreFile;
        this.certificateFile = pemFileFor(keystoreFile);
        this.keyStore = keyStore;
        this.certificate = certificate;
        this.created = created;
    }

    /** Returns where the keystore is kept under a data directory: {@code <data>/tls/dev-certificate.p12}. */
    public static Path defaultKeystoreFile(Path dataDirectory) {
        return dataDirectory.resolve("tls").resolve("dev-certificate.p12");
    }

    /**
     * Loads the certificate kept in {@code keystoreFile}, or creates it with the JDK's keytool when
     * the file is missing or the certificate is not valid now.
     *
     * @throws DevCertificateException when keytool fails or the keystore cannot be read; the
     *     message names the file and, for keytool, its exit status and output
     */
    public static DevCertificate loadOrCreate(Path keystoreFile) {
        return loadOrCreate(keystoreFile, Path.of(System.getProperty("java.home"), "bin", "keytool"), Clock.systemUTC());
    }

    /** Like {@link #loadOrCreate(Path)}, with the keytool executable and the clock given. */
    static DevCertificate loadOrCreate(Path keystoreFile, Path keytool, Clock clock) {
        Path file = keystoreFile.toAbsolutePath().normalize();
        boolean created = false;
        if (!Files.exists(file)) {
            create(file, keytool);
            created = true;
        }
        KeyStore keyStore = read(file);
        X509Certificate certificate = certificateIn(keyStore, file);
        if (!created && !isValidAt(certificate, clock)) {
            log.warn("The development certificate in {} is valid only from {} until {}; creating a new one", file,
                    certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant());
            create(file, keytool);
            created = true;
            keyStore = read(file);
            certificate = certificateIn(keyStore, file);
        }
        if (created) {
            log.info("Created a self-signed development certificate for localhost, 127.0.0.1 and ::1 in {}, valid until {}",
                    file, certificate.getNotAfter().toInstant());
        } else {
            warnIfOthersCanRead(file);
        }
        DevCertificate result = new DevCertificate(file, keyStore, certificate, created);
        result.writePemCopy();
        return result;
    }

    /** Returns the PKCS#12 keystore file that contains the key and the certificate. */
    public Path keystoreFile() {
        return keystoreFile;
    }

    /** Returns the PEM copy of the certificate, to import into a browser or pass to {@code curl --cacert}. */
    public Path certificateFile() {
        return certificateFile;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** Returns whether this call created the certificate, rather than loading an existing one. */
    public boolean created() {
        return created;
    }

    /** Computes the SHA-256 fingerprint of the certificate as colon-separated uppercase hex, as browsers show it. */
    public String sha256Fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Computing the SHA-256 fingerprint of the development certificate failed", e);
        }
    }

    /**
     * Builds a server-side TLS context that presents this certificate. The context allows every
     * version the JDK allows; the listener restricts the versions to {@link #PROTOCOLS}.
     */
    public SSLContext sslContext() {
        try {
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keyStore, KEYSTORE_PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new DevCertificateException("Building a TLS context from " + keystoreFile + " failed: " + e
                    + ". Delete the file to have Mooring create a new certificate.", e);
        }
    }

    /**
     * Runs keytool to write a new keystore to {@code file}, replacing any file there. Keytool writes
     * into a fresh directory of mode 0700, so the key is never readable by others, not even before
     * its mode is set to 0600; the finished file is then moved into place.
     */
    private static void create(Path file, Path keytool) {
        if (!Files.isExecutable(keytool)) {
            throw new DevCertificateException("Creating the development certificate needs the JDK's keytool, which is not at "
                    + keytool + ". Run Mooring with a full JDK 25.");
        }
        Path workDirectory = null;
        try {
            Files.createDirectories(file.getParent());
            workDirectory = Files.createTempDirectory(file.getParent(), "keytool-");
            Path newKeystore = workDirectory.resolve(file.getFileName());
            Path output = workDirectory.resolve("keytool-output.txt");
            runKeytool(keytool, newKeystore, output);
            Files.setPosixFilePermissions(newKeystore, OWNER_READ_WRITE);
            Files.move(newKeystore, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DevCertificateException("Creating the development certificate " + file + " failed: " + e, e);
        } finally {
            deleteQuietly(workDirectory);
        }
    }

    private static void runKeytool(Path keytool, Path newKeystore, Path output) throws IOException {
        List<String> command = new ArrayList<>(List.of(keytool.toString(), "-genkeypair", "-noprompt",
                "-alias", ALIAS,
                "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-validity", String.valueOf(VALIDITY_DAYS),
                "-dname", "CN=localhost, O=Mooring development certificate",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1,ip:::1",
                "-ext", "KU:critical=digitalSignature",
                "-ext", "EKU=serverAuth",
                "-keystore", newKeystore.toString(), "-storetype", "PKCS12",
                "-storepass:env", PASSWORD_VARIABLE));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile());
        builder.environment().put(PASSWORD_VARIABLE, KEYSTORE_PASSWORD);
        Process process = builder.start();
        process.getOutputStream().close();

        boolean finished;
        try {
            finished = process.waitFor(KEYTOOL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new DevCertificateException("Interrupted while keytool was creating the development certificate", e);
        }
        if (!finished) {
            process.destroyForcibly();
            throw new DevCertificateException("keytool did not finish creating the development certificate within "
                    + KEYTOOL_TIMEOUT_SECONDS + " s; its output so far: " + Files.readString(output).strip());
        }
        if (process.exitValue() != 0) {
            throw new DevCertificateException("keytool failed to create the development certificate (exit status "
                    + process.exitValue() + "). Command: " + String.join(" ", command) + ". Output: "
                    + Files.readString(output).strip());
        }
        if (!Files.isRegularFile(newKeystore)) {
            throw new DevCertificateException("keytool exited with status 0 but wrote no keystore to " + newKeystore
                    + ". Output: " + Files.readString(output).strip());
        }
    }

    private static KeyStore read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, KEYSTORE_PASSWORD.toCharArray());
            return keyStore;
        } catch (IOException | GeneralSecurityException e) {
            throw new DevCertificateException("Reading the development certificate " + file + " failed: " + e
                    + ". Delete the file to have Mooring create a new one.", e);
        }
    }

    private static X509Certificate certificateIn(KeyStore keyStore, Path file) {
        try {
            if (keyStore.isKeyEntry(ALIAS) && keyStore.getCertificate(ALIAS) instanceof X509Certificate certificate) {
                return certificate;
            }
        } catch (GeneralSecurityException e) {
            throw new DevCertificateException("Reading the development certificate " + file + " failed: " + e
                    + ". Delete the file to have Mooring create a new one.", e);
        }
        throw new DevCertificateException("The keystore " + file + " has no key entry '" + ALIAS + "' with an X.509"
                + " certificate. Delete the file to have Mooring create a new one.");
    }

    private static boolean isValidAt(X509Certificate certificate, Clock clock) {
        try {
            certificate.checkValidity(Date.from(clock.instant()));
            return true;
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            return false;
        }
    }

    private static void warnIfOthersCanRead(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (!OWNER_READ_WRITE.containsAll(permissions)) {
                log.warn("The development keystore {} has mode {}, so other users may read its private key; run chmod 600 {}",
                        file, PosixFilePermissions.toString(permissions), file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            log.warn("Checking the file mode of the development keystore {} failed: {}", file, e.toString());
        }
    }

    /** Writes the certificate as PEM beside the keystore, unless the file there already contains it. */
    private void writePemCopy() {
        String pem;
        try {
            pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new DevCertificateException("Encoding the development certificate from " + keystoreFile + " failed: " + e, e);
        }
        try {
            if (Files.isRegularFile(certificateFile) && Files.readString(certificateFile).equals(pem)) {
                return;
            }
            Path temporary = Files.createTempFile(certificateFile.getParent(), "pem-", ".tmp");
            try {
                Files.writeString(temporary, pem);
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
                Files.move(temporary, certificateFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            // The listener works without the PEM copy; only importing the certificate gets harder.
            log.warn("Writing the PEM copy of the development certificate to {} failed: {}", certificateFile, e.toString());
        }
    }

    private static Path pemFileFor(Path keystoreFile) {
        String name = keystoreFile.getFileName().toString();
        String base = name.endsWith(".p12") ? name.substring(0, name.length() - ".p12".length()) : name;
        return keystoreFile.resolveSibling(base + ".pem");
    }

    private static void deleteQuietly(Path directory) {
        if (directory == null) {
            return;
        }
        try (var entries = Files.list(directory)) {
            for (Path entry : entries.toList()) {
                Files.deleteIfExists(entry);
            }
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            log.warn("Removing the temporary folder {} failed: {}", directory, e.toString());
        }
    }
}
