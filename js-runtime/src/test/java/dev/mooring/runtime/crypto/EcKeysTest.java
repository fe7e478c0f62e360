package dev.mooring.runtime.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** EcKeys' own arithmetic: the public key of a PKCS#8 key, point decompression and the on-curve check. */
class EcKeysTest {

    private final EcKeys keys = new EcKeys();

    @ParameterizedTest
    @CsvSource({"P-256, secp256r1", "P-384, secp384r1", "P-521, secp521r1"})
    void pkcs8ImportFindsTheJdkPublicKey(String curve, String jdkName) throws Exception {
        KeyPair pair = generate(jdkName);

        ImportedKey imported = keys.importDer(true, pair.getPrivate().getEncoded());

        assertEquals(curve, imported.curve());
        assertArrayEquals(pair.getPublic().getEncoded(), imported.publicDer());
    }

    @ParameterizedTest
    @CsvSource({"P-256, secp256r1", "P-384, secp384r1", "P-521, secp521r1"})
    void compressedRawPointDecompresses(String curve, String jdkName) throws Exception {
        KeyPair pair = generate(jdkName);
        byte[] uncompressed = keys.exportRaw(pair.getPublic().getEncoded());
        int coordinateLength = (uncompressed.length - 1) / 2;
        byte[] compressed = Arrays.copyOf(uncompressed, 1 + coordinateLength);
        compressed[0] = (byte) (2 + (uncompressed[uncompressed.length - 1] & 1));

        ImportedKey imported = keys.importRaw(curve, compressed);

        assertArrayEquals(pair.getPublic().getEncoded(), imported.der());
    }

    @ParameterizedTest
    @CsvSource({"P-256, secp256r1", "P-521, secp521r1"})
    void jwkExportPadsToTheCoordinateLength(String curve, String jdkName) throws Exception {
        KeyPair pair = generate(jdkName);
        ImportedKey imported = keys.importDer(true, pair.getPrivate().getEncoded());

        Map<String, byte[]> members = keys.exportJwk(imported);

        int length = curve.equals("P-521") ? 66 : 32;
        assertEquals(length, members.get("x").length);
        assertEquals(length, members.get("y").length);
        assertEquals(((ECPrivateKey) pair.getPrivate()).getS(), KeyCodec.unsigned(members.get("d")));
    }

    @Test
    void rawPointOffTheCurveIsRejected() throws Exception {
        byte[] raw = keys.exportRaw(generate("secp256r1").getPublic().getEncoded());
        raw[raw.length - 1] ^= 1;

        CryptoFailure failure = assertThrows(CryptoFailure.class, () -> keys.importRaw("P-256", raw));

        assertEquals("DataError", failure.domExceptionName());
        assertEquals("Invalid P-256 public key: the point (x, y) is not on the curve.", failure.getMessage());
    }

    private static KeyPair generate(String jdkName) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(jdkName));
        return generator.generateKeyPair();
    }
}
