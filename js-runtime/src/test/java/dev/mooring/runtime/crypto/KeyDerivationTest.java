package dev.mooring.runtime.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.KDF;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.HKDFParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link KeyDerivation} agrees with the JDK's own PBKDF2 and HKDF where those apply. */
class KeyDerivationTest {

    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest(name = "{0}, {2} iterations, {3} bytes")
    @CsvSource({"SHA-1, password, 1, 20", "SHA-256, password, 1000, 32", "SHA-384, pass, 3, 100", "SHA-512, x, 2, 130"})
    void pbkdf2MatchesJdk(String hash, String password, int iterations, int length) throws GeneralSecurityException {
        byte[] salt = "NaCl salt".getBytes(StandardCharsets.US_ASCII);
        byte[] expected = SecretKeyFactory.getInstance("PBKDF2WithHmac" + hash.replace("-", ""))
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, length * 8))
                .getEncoded();
        assertArrayEquals(expected, KeyDerivation.pbkdf2(hash, password.getBytes(StandardCharsets.US_ASCII), salt, iterations, length));
    }

    @Test
    void pbkdf2TakesPasswordBytesThatAreNotUtf8() {
        // The JDK's PBEKeySpec cannot take these bytes. Known answer from Python's hashlib.pbkdf2_hmac.
        byte[] derived = KeyDerivation.pbkdf2("SHA-256", new byte[] {(byte) 0xff, (byte) 0xfe}, new byte[] {1}, 2, 16);
        assertEquals("69f8203f320bb71e2e653b807d46c710", HEX.formatHex(derived));
    }

    @Test
    void pbkdf2TakesEmptyPassword() {
        // SecretKeySpec rejects an empty key, so this checks the zero-byte stand-in. Known answer from hashlib.
        assertEquals("8c4c9aff9efb6381cb4fd302d16512b4", HEX.formatHex(KeyDerivation.pbkdf2("SHA-256", new byte[0], new byte[] {1}, 2, 16)));
    }

    @ParameterizedTest(name = "{0} bytes")
    @CsvSource({"1", "32", "42", "8160"})
    void hkdfMatchesJdk(int length) throws GeneralSecurityException {
        byte[] inputKey = new byte[22];
        byte[] salt = HEX.parseHex("000102030405060708090a0b0c");
        byte[] info = HEX.parseHex("f0f1f2f3f4f5f6f7f8f9");
        byte[] expected = KDF.getInstance("HKDF-SHA256").deriveData(
                HKDFParameterSpec.ofExtract().addIKM(inputKey).addSalt(salt).thenExpand(info, length));
        assertArrayEquals(expected, KeyDerivation.hkdf("SHA-256", inputKey, salt, info, length));
    }

    @Test
    void hkdfEmptySaltIsZeroBytes() {
        byte[] inputKey = HEX.parseHex("0b0b0b0b");
        assertArrayEquals(KeyDerivation.hkdf("SHA-1", inputKey, new byte[20], new byte[0], 30),
                KeyDerivation.hkdf("SHA-1", inputKey, new byte[0], new byte[0], 30));
    }

    @Test
    void hkdfRejectsMoreThan255Digests() {
        assertThrows(IllegalArgumentException.class, () -> KeyDerivation.hkdf("SHA-256", new byte[1], new byte[0], new byte[0], 8161));
    }
}
