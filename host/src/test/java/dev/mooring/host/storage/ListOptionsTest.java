package dev.mooring.host.storage;

import static dev.mooring.host.storage.StorageTesting.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ListOptionsTest {

    @Test
    void noOptionsSelectsEverything() {
        ListOptions.ByteRange range = ListOptions.all().byteRange();
        assertArrayEquals(new byte[0], range.low());
        assertNull(range.high());
    }

    @Test
    void startAfterAppendsNulByte() {
        ListOptions.ByteRange range = new ListOptions(null, "b", null, null, false, 0).byteRange();
        assertArrayEquals(new byte[] {'b', 0}, range.low());
    }

    @Test
    void endAtOrBelowStartIsEmpty() {
        assertNull(new ListOptions("b", null, "b", null, false, 0).byteRange());
        assertNull(new ListOptions("c", null, "b", null, false, 0).byteRange());
        assertNull(new ListOptions(null, "b", "b\0", null, false, 0).byteRange());
    }

    @Test
    void prefixClampsBothBounds() {
        ListOptions.ByteRange range = new ListOptions("a", null, "zzz", "user:", false, 0).byteRange();
        assertArrayEquals(bytes("user:"), range.low());
        assertArrayEquals(bytes("user;"), range.high());
    }

    @Test
    void prefixKeepsTighterCallerBounds() {
        ListOptions.ByteRange range = new ListOptions("user:5", null, "user:7", "user:", false, 0).byteRange();
        assertArrayEquals(bytes("user:5"), range.low());
        assertArrayEquals(bytes("user:7"), range.high());
    }

    @Test
    void startPastPrefixRangeIsEmpty() {
        assertNull(new ListOptions("v", null, null, "user:", false, 0).byteRange());
    }

    @Test
    void endBelowPrefixIsEmpty() {
        assertNull(new ListOptions(null, null, "user", "user:", false, 0).byteRange());
    }

    @Test
    void emptyPrefixIsIgnored() {
        ListOptions.ByteRange range = new ListOptions(null, null, null, "", false, 0).byteRange();
        assertArrayEquals(new byte[0], range.low());
        assertNull(range.high());
    }

    @Test
    void successorDropsTrailingFF() {
        assertArrayEquals(new byte[] {'a', 'c'}, ListOptions.successor(new byte[] {'a', 'b', (byte) 0xFF, (byte) 0xFF}));
        assertNull(ListOptions.successor(new byte[] {(byte) 0xFF}));
        assertArrayEquals(new byte[] {(byte) 0xF0}, ListOptions.successor(new byte[] {(byte) 0xEF}));
    }

    @Test
    void startWithStartAfterIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ListOptions("a", "b", null, null, false, 0));
    }

    @Test
    void negativeLimitIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ListOptions(null, null, null, null, false, -1));
    }
}
