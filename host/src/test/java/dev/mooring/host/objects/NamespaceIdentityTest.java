package dev.mooring.host.objects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Object IDs match workerd's. The expected values were produced by workerd 1.20261117 serving a
 * worker named "seed-counter" with classes Counter and Other, whose namespaces' unique keys were
 * the first 32 hex digits of SHA-256("seed-counter-" + class name).
 */
class NamespaceIdentityTest {

    private static String uniqueKeyFor(String className) throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(("seed-counter-" + className).getBytes(StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(digest).substring(0, 32);
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
        "Counter | foo | 9cb9580d7a45519d45ce432807fa4be748d33ae6c8d2386256a5d4e451593b5e",
        "Other | foo | 31fcec135b995748b5623b80bcf72dee6cba86cd62ead29f4b4dc9c24448beaa",
        "Counter | a | 8bd6dcd3987646883a3a06c0d43b80de9ed0e4c9cc01fdc68ca294fccc741ff6",
        "Counter | '' | b732667e675175564f490211109008c9fc927cefc669433a61a0ab1b0697b2d6",
        "Counter | null | 3555ef14e1caf1e0fc7cdcc757bb400ce2be8585fbe5af1bda9b11c3edd3438a",
        "Counter | \u00e9t\u00e9 | 8c750c6d48356970b5ab7f6d594d1fda1d7dbe060d0da817f6cfc1d0ef8585b6",
        "Other | \u00e9t\u00e9 | a88f8208004a5af5ed74c3c50c439bcf6b9edbbb124b7d817b8449cef784ccc8",
    })
    void idFromNameMatchesWorkerd(String className, String name, String expectedHex) throws Exception {
        NamespaceIdentity identity = new NamespaceIdentity(uniqueKeyFor(className));

        assertEquals(expectedHex, identity.idFromName(name).hex());
    }

    @Test
    void idsOfOtherNamespacesAreInvalid() throws Exception {
        NamespaceIdentity counter = new NamespaceIdentity(uniqueKeyFor("Counter"));
        NamespaceIdentity other = new NamespaceIdentity(uniqueKeyFor("Other"));
        ObjectId unique = counter.newUniqueId();

        assertTrue(counter.isValid(counter.idFromName("x")));
        assertTrue(counter.isValid(unique));
        assertFalse(other.isValid(unique));
        assertFalse(other.isValid(counter.idFromName("x")));
        assertNotEquals(unique, counter.newUniqueId());
    }
}
