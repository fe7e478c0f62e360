package dev.mooring.runtime.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES modes of Web Crypto (GCM, CBC, CTR and KW) on the JDK's {@link Cipher}.
 *
 * <p>The runtime's crypto-aes.js checks every argument first, so an invalid one here is a bug in
 * the runtime and raises {@link IllegalArgumentException}. A ciphertext that fails its tag, its
 * padding or its integrity check is the caller's data, not a bug, so decryption returns null for
 * it and the JS side raises Web Crypto's OperationError. The key bytes live only for the call:
 * this class keeps no state.
 */
public final class AesCipher {

    private static final int BLOCK_BYTES = 16;

    /** GCM tag length of the JDK's SunJCE provider below which it rejects a tag (Web Crypto allows 32 and 64). */
    private static final int MIN_JDK_TAG_BITS = 96;

    private static final int FULL_TAG_BITS = 128;

    private AesCipher() {}

    /**
     * Encrypts {@code plaintext} with AES-GCM and returns the ciphertext followed by a tag of
     * {@code tagBits} bits.
     */
    public static byte[] gcmEncrypt(byte[] key, byte[] iv, byte[] additionalData, int tagBits, byte[] plaintext) {
        requireTagBits(tagBits);
        // A shorter tag is the leading bits of the full one (NIST SP 800-38D), so truncating the
        // full tag supports the 32- and 64-bit tags that the JDK rejects.
        byte[] full = gcm(Cipher.ENCRYPT_MODE, key, iv, additionalData, FULL_TAG_BITS, plaintext);
        return Arrays.copyOf(full, plaintext.length + tagBits / 8);
    }

    /**
     * Decrypts AES-GCM {@code ciphertext}, whose last {@code tagBits / 8} bytes are the tag, or
     * returns null when the tag does not match.
     */
    public static byte[] gcmDecrypt(byte[] key, byte[] iv, byte[] additionalData, int tagBits, byte[] ciphertext) {
        requireTagBits(tagBits);
        int tagBytes = tagBits / 8;
        if (ciphertext.length < tagBytes) {
            throw new IllegalArgumentException("Ciphertext of " + ciphertext.length + " bytes is shorter than its tag");
        }
        if (tagBits >= MIN_JDK_TAG_BITS) {
            return gcm(Cipher.DECRYPT_MODE, key, iv, additionalData, tagBits, ciphertext);
        }
        return gcmDecryptShortTag(key, iv, additionalData, tagBytes, ciphertext);
    }

    // GCM's keystream does not depend on the data, so encrypting the ciphertext under the same key
    // and IV yields the plaintext, and encrypting that plaintext yields the ciphertext's full tag,
    // whose leading bytes must equal the short tag given.
    private static byte[] gcmDecryptShortTag(byte[] key, byte[] iv, byte[] additionalData, int tagBytes, byte[] ciphertext) {
        int dataLength = ciphertext.length - tagBytes;
        byte[] encrypted = Arrays.copyOf(ciphertext, dataLength);
        byte[] plaintext = Arrays.copyOf(gcm(Cipher.ENCRYPT_MODE, key, iv, new byte[0], FULL_TAG_BITS, encrypted), dataLength);
        byte[] recomputed = gcm(Cipher.ENCRYPT_MODE, key, iv, additionalData, FULL_TAG_BITS, plaintext);
        byte[] expectedTag = Arrays.copyOfRange(recomputed, dataLength, dataLength + tagBytes);
        byte[] givenTag = Arrays.copyOfRange(ciphertext, dataLength, ciphertext.length);
        return MessageDigest.isEqual(expectedTag, givenTag) ? plaintext : null;
    }

    // Returns null when decryption finds the tag does not match.
    private static byte[] gcm(int mode, byte[] key, byte[] iv, byte[] additionalData, int tagBits, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, aesKey(key), new GCMParameterSpec(tagBits, iv));
            if (additionalData.length > 0) {
                cipher.updateAAD(additionalData);
            }
            return cipher.doFinal(input);
        } catch (AEADBadTagException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("AES-GCM failed on arguments the runtime should have rejected", e);
        }
    }

    private static void requireTagBits(int tagBits) {
        switch (tagBits) {
            case 32, 64, 96, 104, 112, 120, 128 -> { }
            default -> throw new IllegalArgumentException("Invalid AES-GCM tag length " + tagBits);
        }
    }

    /** Encrypts {@code plaintext} with AES-CBC and PKCS#7 padding under a 16-byte {@code iv}. */
    public static byte[] cbcEncrypt(byte[] key, byte[] iv, byte[] plaintext) {
        try {
            return cbcCipher(Cipher.ENCRYPT_MODE, key, iv).doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("AES-CBC failed on arguments the runtime should have rejected", e);
        }
    }

    /**
     * Decrypts AES-CBC {@code ciphertext} and removes its PKCS#7 padding, or returns null when
     * the length is not a whole number of blocks or the padding is invalid.
     */
    public static byte[] cbcDecrypt(byte[] key, byte[] iv, byte[] ciphertext) {
        try {
            return cbcCipher(Cipher.DECRYPT_MODE, key, iv).doFinal(ciphertext);
        } catch (BadPaddingException | IllegalBlockSizeException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("AES-CBC failed on arguments the runtime should have rejected", e);
        }
    }

    private static Cipher cbcCipher(int mode, byte[] key, byte[] iv) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
        cipher.init(mode, aesKey(key), new IvParameterSpec(iv));
        return cipher;
    }

    /**
     * Encrypts or decrypts (the same operation) {@code data} with AES-CTR. The counter is the
     * rightmost {@code counterBits} bits of the 16-byte {@code counterBlock} and wraps to zero
     * without carrying into the bits on its left, as Web Crypto requires; the JDK's CTR mode
     * instead increments the whole block, so the data is split where the counter wraps.
     * The caller must reject data with more blocks than the counter has values, because the
     * counter would repeat and so would the keystream.
     */
    public static byte[] ctr(byte[] key, byte[] counterBlock, int counterBits, byte[] data) {
        if (counterBlock.length != BLOCK_BYTES || counterBits < 1 || counterBits > 128) {
            throw new IllegalArgumentException("AES-CTR needs a 16-byte counter block and a counter of 1 to 128 bits");
        }
        BigInteger counterValues = BigInteger.ONE.shiftLeft(counterBits);
        BigInteger blocks = BigInteger.valueOf((data.length + BLOCK_BYTES - 1) / BLOCK_BYTES);
        if (blocks.compareTo(counterValues) > 0) {
            throw new IllegalArgumentException("AES-CTR data of " + blocks + " blocks would repeat a "
                    + counterBits + "-bit counter");
        }
        BigInteger blocksBeforeWrap = counterValues.subtract(counterOf(counterBlock, counterBits));
        if (blocksBeforeWrap.compareTo(blocks) >= 0) {
            return ctrWithoutWrap(key, counterBlock, data, 0, data.length);
        }
        int firstPart = blocksBeforeWrap.intValueExact() * BLOCK_BYTES;
        byte[] result = new byte[data.length];
        System.arraycopy(ctrWithoutWrap(key, counterBlock, data, 0, firstPart), 0, result, 0, firstPart);
        byte[] rest = ctrWithoutWrap(key, withCounterZeroed(counterBlock, counterBits), data, firstPart, data.length - firstPart);
        System.arraycopy(rest, 0, result, firstPart, rest.length);
        return result;
    }

    /** Returns the counter part of a counter block: its rightmost {@code counterBits} bits as an unsigned number. */
    static BigInteger counterOf(byte[] counterBlock, int counterBits) {
        return new BigInteger(1, counterBlock).and(BigInteger.ONE.shiftLeft(counterBits).subtract(BigInteger.ONE));
    }

    /** Returns a copy of {@code counterBlock} with its rightmost {@code counterBits} bits cleared. */
    static byte[] withCounterZeroed(byte[] counterBlock, int counterBits) {
        byte[] zeroed = counterBlock.clone();
        int wholeBytes = counterBits / 8;
        Arrays.fill(zeroed, BLOCK_BYTES - wholeBytes, BLOCK_BYTES, (byte) 0);
        int remainingBits = counterBits % 8;
        if (remainingBits > 0) {
            zeroed[BLOCK_BYTES - wholeBytes - 1] &= (byte) (0xff << remainingBits);
        }
        return zeroed;
    }

    private static byte[] ctrWithoutWrap(byte[] key, byte[] counterBlock, byte[] data, int offset, int length) {
        try {
            Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, aesKey(key), new IvParameterSpec(counterBlock));
            return cipher.doFinal(data, offset, length);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("AES-CTR failed on arguments the runtime should have rejected", e);
        }
    }

    /** Wraps {@code keyData} (a multiple of 8 bytes, at least 16) with AES-KW (RFC 3394). */
    public static byte[] kwWrap(byte[] key, byte[] keyData) {
        try {
            return kwCipher(Cipher.ENCRYPT_MODE, key).doFinal(keyData);
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("AES-KW wrapping failed on arguments the runtime should have rejected", e);
        }
    }

    /** Unwraps AES-KW {@code wrapped} data (RFC 3394), or returns null when its integrity check fails. */
    public static byte[] kwUnwrap(byte[] key, byte[] wrapped) {
        try {
            return kwCipher(Cipher.DECRYPT_MODE, key).doFinal(wrapped);
        } catch (BadPaddingException | IllegalBlockSizeException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("AES-KW unwrapping failed on arguments the runtime should have rejected", e);
        }
    }

    private static Cipher kwCipher(int mode, byte[] key) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/KW/NoPadding");
        cipher.init(mode, aesKey(key));
        return cipher;
    }

    private static SecretKeySpec aesKey(byte[] key) {
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new IllegalArgumentException("An AES key has 16, 24 or 32 bytes, not " + key.length);
        }
        return new SecretKeySpec(key, "AES");
    }
}
