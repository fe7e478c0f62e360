package dev.mooring.host.storage;

import static dev.mooring.host.storage.StorageTesting.bytes;
import static dev.mooring.host.storage.StorageTesting.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BucketTest {

    @Test
    void withKeepsSuffixesSortedUnsigned() {
        Bucket bucket = Bucket.EMPTY
                .with(new byte[] {(byte) 0x80}, bytes("high"))
                .with(bytes("b"), bytes("b"))
                .with(new byte[0], bytes("empty"))
                .with(bytes("a"), bytes("a"));

        List<String> order = new ArrayList<>();
        for (int i = 0; i < bucket.size(); i++) {
            order.add(text(bucket.value(i)));
        }
        assertEquals(List.of("empty", "a", "b", "high"), order);
    }

    @Test
    void withReplacesExistingSuffix() {
        Bucket bucket = Bucket.EMPTY.with(bytes("k"), bytes("1")).with(bytes("k"), bytes("2"));
        assertEquals(1, bucket.size());
        assertEquals("2", text(bucket.get(bytes("k"))));
    }

    @Test
    void withoutRemovesOnlyThatSuffix() {
        Bucket bucket = Bucket.EMPTY.with(bytes("a"), bytes("1")).with(bytes("b"), bytes("2"));
        Bucket after = bucket.without(bytes("a"));
        assertNull(after.get(bytes("a")));
        assertEquals("2", text(after.get(bytes("b"))));
        assertSame(after, after.without(bytes("missing")));
        assertTrue(after.without(bytes("b")).isEmpty());
    }

    @Test
    void encodingRoundTrips() {
        Bucket bucket = Bucket.EMPTY
                .with(new byte[0], new byte[0])
                .with(bytes("x".repeat(1574)), new byte[131_072])
                .with(bytes("y"), bytes("value"));
        byte[] encoded = bucket.encode();
        assertEquals(bucket.encodedLength(), encoded.length);

        Bucket decoded = Bucket.decode(encoded);
        assertEquals(3, decoded.size());
        assertEquals(0, decoded.get(new byte[0]).length);
        assertEquals(131_072, decoded.get(bytes("x".repeat(1574))).length);
        assertEquals("value", text(decoded.get(bytes("y"))));
    }

    @Test
    void decodeRejectsUnknownFormat() {
        byte[] encoded = Bucket.EMPTY.with(bytes("a"), bytes("1")).encode();
        encoded[0] = 9;
        assertThrows(IllegalStateException.class, () -> Bucket.decode(encoded));
    }

    @Test
    void decodeRejectsTruncatedBytes() {
        byte[] encoded = Bucket.EMPTY.with(bytes("a"), bytes("12345")).encode();
        byte[] truncated = java.util.Arrays.copyOf(encoded, encoded.length - 2);
        assertThrows(IllegalStateException.class, () -> Bucket.decode(truncated));
    }
}
