package dev.mooring.host.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Utf8Test {

    private static final byte[] FFFD = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD};

    @Test
    void wellFormedTextMatchesJdkEncoder() {
        for (String text : new String[] {"", "abc", "caf\u00e9", "\u20ac", "\uFFFF", "\uD800\uDC00", "a\uD83D\uDE00b",
                "\u0800\u07FF\u0080\u007F"}) {
            assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), Utf8.encode(text), text);
            assertEquals(text.getBytes(StandardCharsets.UTF_8).length, Utf8.encodedLength(text), text);
            assertEquals(text, Utf8.decode(Utf8.encode(text)));
        }
    }

    @Test
    void loneHighSurrogateAtEndBecomesReplacement() {
        assertArrayEquals(concat(new byte[] {'a'}, FFFD), Utf8.encode("a\uD800"));
    }

    @Test
    void loneLowSurrogateBecomesReplacement() {
        assertArrayEquals(concat(FFFD, new byte[] {'b'}), Utf8.encode("\uDC00b"));
    }

    @Test
    void highSurrogateBeforeNonSurrogateBecomesReplacement() {
        assertArrayEquals(concat(FFFD, new byte[] {'x'}), Utf8.encode("\uD800x"));
        assertEquals(4, Utf8.encodedLength("\uD800x"));
    }

    @Test
    void reversedPairBecomesTwoReplacements() {
        assertArrayEquals(concat(FFFD, FFFD), Utf8.encode("\uDC00\uD800"));
    }

    @Test
    void byteOrderPutsFFFFBeforeSupplementary() {
        // UTF-16 order (String.compareTo) disagrees: U+10000 starts with 0xD800 < 0xFFFF.
        assertTrue("\uFFFF".compareTo("\uD800\uDC00") > 0);
        assertTrue(Arrays.compareUnsigned(Utf8.encode("\uFFFF"), Utf8.encode("\uD800\uDC00")) < 0);
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] result = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, result, first.length, second.length);
        return result;
    }
}
