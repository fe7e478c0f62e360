package dev.mooring.runtime.crypto;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * Parses SPKI and PKCS#8 key bytes with the JDK's {@link KeyFactory}, turning bad bytes into a
 * {@link CryptoFailure}, and converts big integers to and from the unsigned big-endian bytes of JWK.
 */
final class KeyCodec {

    private KeyCodec() {}

    /** Parses an SPKI (X.509 SubjectPublicKeyInfo) public key of the JCA key algorithm {@code jcaName}. */
    static PublicKey publicKey(String jcaName, byte[] spki) {
        try {
            return keyFactory(jcaName).generatePublic(new X509EncodedKeySpec(spki));
        } catch (InvalidKeySpecException e) {
            throw CryptoFailure.dataError("Invalid SPKI input: the bytes are not a DER-encoded SubjectPublicKeyInfo of an "
                    + jcaName + " public key (" + rootMessage(e) + ").");
        }
    }

    /** Parses a PKCS#8 PrivateKeyInfo of the JCA key algorithm {@code jcaName}. */
    static PrivateKey privateKey(String jcaName, byte[] pkcs8) {
        try {
            return keyFactory(jcaName).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (InvalidKeySpecException e) {
            throw CryptoFailure.dataError("Invalid PKCS8 input: the bytes are not a DER-encoded PrivateKeyInfo of an "
                    + jcaName + " private key (" + rootMessage(e) + ").");
        }
    }

    // The JDK wraps the parser's message in exceptions whose messages repeat the class names.
    static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }

    static KeyFactory keyFactory(String jcaName) {
        try {
            return KeyFactory.getInstance(jcaName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK lacks the " + jcaName + " key factory", e);
        }
    }

    /** Returns {@code value} as unsigned big-endian bytes without leading zeros, as JWK's RSA members are. */
    static byte[] unsignedBytes(BigInteger value) {
        byte[] bytes = value.toByteArray();
        int start = 0;
        while (start < bytes.length - 1 && bytes[start] == 0) {
            start++;
        }
        return Arrays.copyOfRange(bytes, start, bytes.length);
    }

    /** Returns {@code value} as unsigned big-endian bytes left-padded with zeros to {@code length}. */
    static byte[] paddedBytes(BigInteger value, int length) {
        byte[] minimal = unsignedBytes(value);
        if (minimal.length > length) {
            throw new IllegalArgumentException("A value of " + minimal.length + " bytes does not fit in " + length);
        }
        byte[] padded = new byte[length];
        System.arraycopy(minimal, 0, padded, length - minimal.length, minimal.length);
        return padded;
    }

    static BigInteger unsigned(byte[] bytes) {
        return new BigInteger(1, bytes);
    }
}
