package dev.mooring.runtime.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** EdwardsKeys' derivation of a public key from an imported private key, for both curves. */
class EdwardsKeysTest {

    static Stream<EdwardsKeys> families() {
        return Stream.of(EdwardsKeys.ED25519, EdwardsKeys.X25519);
    }

    @ParameterizedTest
    @MethodSource("families")
    void pkcs8ImportFindsTheJdkPublicKey(EdwardsKeys family) throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance(family.jcaName()).generateKeyPair();

        ImportedKey imported = family.importDer(true, pair.getPrivate().getEncoded());

        assertArrayEquals(pair.getPublic().getEncoded(), imported.publicDer());
        assertArrayEquals(pair.getPrivate().getEncoded(), imported.der());
    }

    @ParameterizedTest
    @MethodSource("families")
    void jwkExportReturnsRawKeys(EdwardsKeys family) throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance(family.jcaName()).generateKeyPair();
        ImportedKey imported = family.importDer(true, pair.getPrivate().getEncoded());

        var members = family.exportJwk(imported);

        assertArrayEquals(family.exportRaw(pair.getPublic().getEncoded()), members.get("x"));
        assertEquals(32, members.get("d").length);
    }

    @ParameterizedTest
    @MethodSource("families")
    void rawKeyOfWrongLengthIsRejected(EdwardsKeys family) {
        CryptoFailure failure = assertThrows(CryptoFailure.class, () -> family.importRaw(null, new byte[33]));

        assertEquals("DataError", failure.domExceptionName());
        assertEquals(family.jcaName() + " raw keys must be exactly 32 bytes (provided 33).", failure.getMessage());
    }
}
