package dev.mooring.runtime.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The parts of {@link AesCipher} that go beyond the JDK: short GCM tags and AES-CTR counter wrapping. */
class AesCipherTest {

    private static final HexFormat HEX = HexFormat.of();

    // GCM test case 4 of McGrew and Viega's specification.
    private static final byte[] KEY = HEX.parseHex("feffe9928665731c6d6a8f9467308308");
    private static final byte[] IV = HEX.parseHex("cafebabefacedbaddecaf888");
    private static final byte[] AAD = HEX.parseHex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
    private static final byte[] PLAINTEXT = HEX.parseHex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
            + "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
    private static final String TAG = "5bc94fbc3221a5db94fae95ae7121a47";

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {32, 64, 96, 128})
    void gcmTagIsLeadingBytesOfFullTag(int tagBits) {
        byte[] sealed = AesCipher.gcmEncrypt(KEY, IV, AAD, tagBits, PLAINTEXT);
        assertEquals(TAG.substring(0, tagBits / 4), HEX.formatHex(Arrays.copyOfRange(sealed, PLAINTEXT.length, sealed.length)));
        assertArrayEquals(PLAINTEXT, AesCipher.gcmDecrypt(KEY, IV, AAD, tagBits, sealed));
    }

    @ParameterizedTest(name = "{0} bits")
    @ValueSource(ints = {32, 64, 96, 128})
    void gcmDecryptReturnsNullOnChangedTag(int tagBits) {
        byte[] sealed = AesCipher.gcmEncrypt(KEY, IV, AAD, tagBits, PLAINTEXT);
        sealed[sealed.length - 1] ^= 1;
        assertNull(AesCipher.gcmDecrypt(KEY, IV, AAD, tagBits, sealed));
    }

    @Test
    void gcmShortTagCoversAdditionalData() {
        byte[] sealed = AesCipher.gcmEncrypt(KEY, IV, AAD, 32, PLAINTEXT);
        assertNull(AesCipher.gcmDecrypt(KEY, IV, new byte[0], 32, sealed));
        assertArrayEquals(new byte[0], AesCipher.gcmDecrypt(KEY, IV, AAD, 32, AesCipher.gcmEncrypt(KEY, IV, AAD, 32, new byte[0])));
    }

    @Test
    void gcmRejectsInvalidTagLength() {
        assertThrows(IllegalArgumentException.class, () -> AesCipher.gcmEncrypt(KEY, IV, AAD, 80, PLAINTEXT));
    }

    @Test
    void counterIsRightmostBits() {
        byte[] block = HEX.parseHex("ffffffffffffffffffffffffffffff0f");
        assertEquals(BigInteger.valueOf(0x0f), AesCipher.counterOf(block, 4));
        assertEquals(BigInteger.valueOf(0x10f), AesCipher.counterOf(block, 9));
        assertEquals(new BigInteger(1, block), AesCipher.counterOf(block, 128));
    }

    @Test
    void counterZeroingKeepsOtherBits() {
        byte[] block = HEX.parseHex("ffffffffffffffffffffffffffffffff");
        assertEquals("fffffffffffffffffffffffffffffff0", HEX.formatHex(AesCipher.withCounterZeroed(block, 4)));
        assertEquals("fffffffffffffffffffffffffffffe00", HEX.formatHex(AesCipher.withCounterZeroed(block, 9)));
        assertEquals("ffffffffffffffff0000000000000000", HEX.formatHex(AesCipher.withCounterZeroed(block, 64)));
        assertEquals("00000000000000000000000000000000", HEX.formatHex(AesCipher.withCounterZeroed(block, 128)));
        assertEquals("ffffffffffffffffffffffffffffffff", HEX.formatHex(block), "the argument is unchanged");
    }

    @Test
    void ctrWrapRestartsCounterAtZero() {
        byte[] counter = HEX.parseHex("000102030405060708090a0b0c0d0e0f");
        byte[] data = new byte[48];
        byte[] wrapped = AesCipher.ctr(KEY, counter, 4, data);
        // With a 4-bit counter of 15, block 2 uses counter 0 and block 3 counter 1.
        byte[] restarted = AesCipher.ctr(KEY, HEX.parseHex("000102030405060708090a0b0c0d0e00"), 128, new byte[32]);
        assertArrayEquals(AesCipher.ctr(KEY, counter, 128, new byte[16]), Arrays.copyOf(wrapped, 16));
        assertArrayEquals(restarted, Arrays.copyOfRange(wrapped, 16, 48));
    }

    @Test
    void ctrRejectsRepeatingCounter() {
        assertThrows(IllegalArgumentException.class, () -> AesCipher.ctr(KEY, new byte[16], 1, new byte[33]));
    }

    @Test
    void cbcAndKwDecryptReturnNullOnBadInput() {
        assertNull(AesCipher.cbcDecrypt(KEY, new byte[16], new byte[17]));
        byte[] wrapped = AesCipher.kwWrap(KEY, new byte[16]);
        wrapped[0] ^= 1;
        assertNull(AesCipher.kwUnwrap(KEY, wrapped));
    }
}
