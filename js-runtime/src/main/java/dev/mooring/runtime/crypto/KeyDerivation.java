package dev.mooring.runtime.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * PBKDF2 (RFC 8018) and HKDF (RFC 5869) with HMAC over SHA-1, SHA-256, SHA-384, SHA-512 or MD5,
 * built on the JDK's {@link Mac}.
 *
 * <p>They are written here on {@code Mac} because the JDK's own versions do not fit Web Crypto:
 * {@code PBEKeySpec} takes the password as chars and encodes them as UTF-8, so it cannot take
 * arbitrary password bytes, and {@code javax.crypto.KDF} has no HKDF with SHA-1. The runtime's
 * crypto-kdf.js checks every argument first, so an invalid one here raises {@link
 * IllegalArgumentException}. This class keeps no key material beyond the call.
 */
public final class KeyDerivation {

    private KeyDerivation() {}

    /** Derives {@code length} bytes from {@code password} and {@code salt} with PBKDF2-HMAC. */
    public static byte[] pbkdf2(String hash, byte[] password, byte[] salt, int iterations, int length) {
        if (iterations < 1 || length < 0) {
            throw new IllegalArgumentException("PBKDF2 needs a positive iteration count and a non-negative length");
        }
        Mac mac = hmac(hash, password);
        int blockLength = mac.getMacLength();
        byte[] derived = new byte[length];
        byte[] blockIndex = new byte[4];
        for (int block = 1, offset = 0; offset < length; block++, offset += blockLength) {
            writeBigEndian(block, blockIndex);
            mac.update(salt);
            byte[] u = mac.doFinal(blockIndex);
            byte[] t = u.clone();
            for (int i = 1; i < iterations; i++) {
                u = mac.doFinal(u);
                for (int j = 0; j < t.length; j++) {
                    t[j] ^= u[j];
                }
            }
            System.arraycopy(t, 0, derived, offset, Math.min(blockLength, length - offset));
        }
        return derived;
    }

    /**
     * Derives {@code length} bytes with HKDF-Extract and HKDF-Expand. An empty salt means a salt
     * of zero bytes as long as the hash, as RFC 5869 defines it.
     */
    public static byte[] hkdf(String hash, byte[] inputKey, byte[] salt, byte[] info, int length) {
        Mac extract = hmac(hash, salt);
        int hashLength = extract.getMacLength();
        if (length < 0 || length > 255 * hashLength) {
            throw new IllegalArgumentException("HKDF with " + hash + " derives at most " + 255 * hashLength + " bytes");
        }
        byte[] pseudorandomKey = extract.doFinal(inputKey);
        Mac expand = hmac(hash, pseudorandomKey);
        byte[] derived = new byte[length];
        byte[] previous = new byte[0];
        for (int block = 1, offset = 0; offset < length; block++, offset += hashLength) {
            expand.update(previous);
            expand.update(info);
            expand.update((byte) block);
            previous = expand.doFinal();
            System.arraycopy(previous, 0, derived, offset, Math.min(hashLength, length - offset));
        }
        return derived;
    }

    // Returns an HMAC keyed with `key`. SecretKeySpec rejects an empty key, but HMAC pads every
    // key shorter than a block with zero bytes, so one zero byte gives the same MAC.
    private static Mac hmac(String hash, byte[] key) {
        String javaName = switch (hash) {
            case "SHA-1", "SHA-256", "SHA-384", "SHA-512", "MD5" -> "Hmac" + hash.replace("-", "");
            default -> throw new IllegalArgumentException("Unsupported digest algorithm: " + hash);
        };
        try {
            Mac mac = Mac.getInstance(javaName);
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, javaName));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The JDK cannot compute " + javaName, e);
        }
    }

    private static void writeBigEndian(int value, byte[] target) {
        target[0] = (byte) (value >>> 24);
        target[1] = (byte) (value >>> 16);
        target[2] = (byte) (value >>> 8);
        target[3] = (byte) value;
    }
}
