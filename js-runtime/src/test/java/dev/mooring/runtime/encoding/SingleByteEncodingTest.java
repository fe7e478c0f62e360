package dev.mooring.runtime.encoding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every byte from 0x80 to 0xFF of every single-byte encoding but windows-1252 (which encoding.js
 * decodes) decodes to the code point of the Encoding Standard's index. The expected tables in
 * {@code single-byte-chromium-156.json} are what Chromium 156's TextDecoder gives for each byte
 * alone, with 65533 (U+FFFD) where the index has no entry; there a fatal decoder must fail.
 */
class SingleByteEncodingTest {

    @TestFactory
    List<DynamicTest> everyByteMatchesTheStandard() throws IOException {
        JsonNode tables;
        try (InputStream in = SingleByteEncodingTest.class.getResourceAsStream("/encoding/single-byte-chromium-156.json")) {
            tables = new ObjectMapper().readTree(in);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, JsonNode> table : tables.properties()) {
            tests.add(DynamicTest.dynamicTest(table.getKey(), () -> checkTable(table.getKey(), table.getValue())));
        }
        assertEquals(27, tests.size(), "single-byte encodings in the expected tables");
        return tests;
    }

    private static void checkTable(String encoding, JsonNode expected) {
        assertEquals(128, expected.size());
        for (int value = 0x80; value <= 0xff; value++) {
            byte[] input = {(byte) value};
            int codePoint = expected.get(value - 0x80).asInt();
            String label = "%s byte 0x%02X".formatted(encoding, value);
            assertEquals(new String(Character.toChars(codePoint)), LegacyDecoder.open(encoding, false).decode(input, false), label);
            if (codePoint == 0xfffd) {
                assertNull(LegacyDecoder.open(encoding, true).decode(input, false), label + " with fatal");
            }
        }
    }
}
