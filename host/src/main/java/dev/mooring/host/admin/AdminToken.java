package dev.mooring.host.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The bearer token that admin requests must carry. It comes from {@code MOORING_ADMIN_TOKEN},
 * from {@code --admin-token-file}, or else from {@code admin-token} in the data directory, which
 * the first start creates with mode 0600 and a fresh random value that it prints once.
 *
 * <p>{@link #matches} compares SHA-256 digests with {@link MessageDigest#isEqual}, so the time it
 * takes reveals neither the token's length nor how much of it a guess got right.
 */
public final class AdminToken {

    /** The environment variable that sets the token. */
    public static final String ENVIRONMENT_VARIABLE = "MOORING_ADMIN_TOKEN";

    /** The file in the data directory that keeps a generated token. */
    public static final String FILE_NAME = "admin-token";

    /** Random bytes in a generated token; hex-encoded it has twice as many characters. */
    private static final int GENERATED_BYTES = 32;

    /** The shortest token accepted from the environment or a file, in characters. */
    public static final int MIN_LENGTH = 16;

    /** Where a token came from, for the startup log. */
    public enum Source {
        ENVIRONMENT,
        FILE,
        STORED,
        GENERATED
    }

    private final byte[] digest;
    private final Source source;
    private final Path file;
    private final String generatedValue;

    private AdminToken(String token, Source source, Path file, String generatedValue) {
        this.digest = sha256(token);
        this.source = source;
        this.file = file;
        this.generatedValue = generatedValue;
    }

    /**
     * Finds the token: the environment value when set, else the given file, else the stored one,
     * generating and storing it on first use.
     *
     * @param environmentValue the value of {@link #ENVIRONMENT_VARIABLE}, or null
     * @param tokenFile the {@code --admin-token-file} option, or null
     * @throws IllegalArgumentException when a given token is shorter than {@link #MIN_LENGTH} or the file is missing
     */
    public static AdminToken resolve(String environmentValue, Path tokenFile, Path dataDirectory) {
        if (environmentValue != null && !environmentValue.isBlank()) {
            return new AdminToken(checkLength(environmentValue.strip(), ENVIRONMENT_VARIABLE), Source.ENVIRONMENT, null, null);
        }
        if (tokenFile != null) {
            return new AdminToken(checkLength(read(tokenFile), "--admin-token-file " + tokenFile), Source.FILE, tokenFile, null);
        }
        Path stored = dataDirectory.resolve(FILE_NAME);
        if (Files.exists(stored)) {
            return new AdminToken(checkLength(read(stored), stored.toString()), Source.STORED, stored, null);
        }
        String generated = generate();
        write(stored, generated);
        return new AdminToken(generated, Source.GENERATED, stored, generated);
    }

    /** Whether a presented token is this one. */
    public boolean matches(String presented) {
        Objects.requireNonNull(presented, "presented");
        return MessageDigest.isEqual(digest, sha256(presented));
    }

    public Source source() {
        return source;
    }

    /** The file the token was read from or stored in, or null for the environment. */
    public Path file() {
        return file;
    }

    /** The token's value when this start generated it, to be shown once; else null. */
    public String generatedValue() {
        return generatedValue;
    }

    private static String checkLength(String token, String origin) {
        if (token.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("The admin token from " + origin + " has " + token.length()
                    + " characters; use at least " + MIN_LENGTH + ", for example: openssl rand -hex 32");
        }
        return token;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("The admin token file " + file + " does not exist. Write a token of at"
                    + " least " + MIN_LENGTH + " characters to it, for example: openssl rand -hex 32 > " + file
                    + ", or leave out --admin-token-file so that the server generates a token in its data folder", e);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read the admin token file " + file + ": " + e.getMessage(), e);
        }
    }

    private static String generate() {
        byte[] bytes = new byte[GENERATED_BYTES];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Creates the file with mode 0600 before writing, so the token is never readable by others. */
    private static void write(Path file, String token) {
        try {
            Files.createDirectories(file.getParent());
            try {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(file);
            }
            Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException("The admin token file " + file + " appeared while Mooring was creating it;"
                    + " start again", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store the admin token in " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "AdminToken[" + source + "]";
    }
}
