package dev.mooring.host.objects;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** An ID reads the same from its bytes or its digits in either case, and always shows lowercase digits. */
class ObjectIdTest {

    private static final String LOWERCASE_HEX = "00ff10ab" + "0123456789abcdef".repeat(3) + "deadbeef";

    @Test
    void uppercaseDigitsShowAsLowercase() {
        ObjectId id = ObjectId.parse(LOWERCASE_HEX.toUpperCase());

        assertEquals(LOWERCASE_HEX, id.hex());
        assertEquals(LOWERCASE_HEX, id.toString());
    }

    @Test
    void parsedAndWrappedIdsAreEqual() {
        ObjectId parsed = ObjectId.parse(LOWERCASE_HEX.toUpperCase());
        ObjectId wrapped = ObjectId.of(HexFormat.of().parseHex(LOWERCASE_HEX));

        assertEquals(wrapped, parsed);
        assertEquals(wrapped.hashCode(), parsed.hashCode());
        assertEquals(LOWERCASE_HEX, wrapped.hex());
        assertArrayEquals(HexFormat.of().parseHex(LOWERCASE_HEX), parsed.bytes());
    }

    @Test
    void wrongLengthIsRejected() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> ObjectId.parse("abc"));

        assertEquals("An object ID has 64 hex digits, got 3: abc", error.getMessage());
    }
}
