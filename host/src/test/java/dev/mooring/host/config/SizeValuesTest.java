package dev.mooring.host.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Size values such as {@code 64KiB}: what is accepted, and the errors for near misses. */
class SizeValuesTest {

    private static String error(Option<?> option, String text) {
        return assertThrows(IllegalArgumentException.class, () -> option.parse(text)).getMessage();
    }

    @Test
    void validSizesParse() {
        assertEquals(1_048_576L, Values.bytes("1048576"));
        assertEquals(64L << 10, Values.bytes("64KiB"));
        assertEquals(1L << 30, Values.bytes("1 GiB"));
        assertEquals(2L << 40, Values.bytes("2TiB"));
        assertEquals(7L, Values.bytes("7B"));
    }

    @Test
    void nearMissSuggestsSpelling() {
        Map<String, String> suggestions = Map.of(
                "1MB", "1MiB (1048576 bytes)",
                "10mb", "10MiB (10485760 bytes)",
                "1 GB", "1GiB (1073741824 bytes)",
                "5G", "5GiB (5368709120 bytes)",
                "2kb", "2KiB (2048 bytes)",
                "3Ti", "3TiB (3298534883328 bytes)",
                "7 bytes", "7B",
                "1.5GiB", "1536MiB (1610612736 bytes)",
                "0.5KiB", "512B");
        for (Map.Entry<String, String> entry : suggestions.entrySet()) {
            String message = error(HostOptions.MAX_REQUEST_BODY, entry.getKey());

            assertTrue(message.startsWith("Invalid value '" + entry.getKey() + "' for --max-request-body: "), message);
            assertTrue(message.contains("B, KiB, MiB, GiB, TiB"), message);
            assertTrue(message.endsWith("Did you mean " + entry.getValue() + "?"), message);
        }
    }

    @Test
    void wrongUnitIsNamed() {
        String message = error(HostOptions.MAX_REQUEST_BODY, "1MB");

        assertTrue(message.contains("'MB' is not a size unit"), message);
    }

    @Test
    void fractionIsNamed() {
        String message = error(HostOptions.MAX_REQUEST_BODY, "1.5GiB");

        assertTrue(message.contains("the amount 1.5 is not a whole number"), message);
    }

    @Test
    void unknownUnitListsUnitsOnly() {
        for (String text : List.of("5X", "", "-1MiB", "MiB", "lots", "99999999999999999999MB")) {
            String message = error(HostOptions.MAX_REQUEST_BODY, text);

            assertTrue(message.startsWith("Invalid value '" + text + "' for --max-request-body: "), message);
            assertTrue(message.contains("B, KiB, MiB, GiB, TiB"), message);
            assertFalse(message.contains("Did you mean"), message);
        }
    }

    @Test
    void tooLargeNamesMaximum() {
        assertTrue(error(HostOptions.MAX_REQUEST_BODY, "8388608TiB").contains("the maximum is 8388607TiB"));
        assertTrue(error(HostOptions.MAX_REQUEST_BODY, "99999999999999999999").contains("size is too large"));
    }

    @Test
    void canonicalUnitIgnoresCase() {
        assertEquals("KiB", Values.canonicalSizeUnit("kB"));
        assertEquals("MiB", Values.canonicalSizeUnit("MIB"));
        assertEquals("B", Values.canonicalSizeUnit("bytes"));
        assertEquals(null, Values.canonicalSizeUnit("app"));
        assertEquals(null, Values.canonicalSizeUnit("PB"));
    }

    @Test
    void unitInSeparateArgumentRejected() {
        String spaced = assertThrows(IllegalArgumentException.class, () -> OptionParser.parse(
                List.of("app", "--storage-map-size", "1", "GiB"), HostOptions.DEV, "dev")).getMessage();
        String equalsForm = assertThrows(IllegalArgumentException.class, () -> OptionParser.parse(
                List.of("app", "--max-request-body=10", "mb"), HostOptions.DEV, "dev")).getMessage();

        assertTrue(spaced.contains("'1' followed by 'GiB' for --storage-map-size"), spaced);
        assertTrue(spaced.endsWith("Did you mean --storage-map-size 1GiB?"), spaced);
        assertTrue(equalsForm.endsWith("Did you mean --max-request-body 10MiB?"), equalsForm);
    }

    @Test
    void numberBeforeFolderAccepted() {
        OptionParser.Parsed parsed = OptionParser.parse(List.of("--storage-map-size", "4096", "app"), HostOptions.DEV, "dev");

        assertEquals(4096L, parsed.get(HostOptions.STORAGE_MAP_SIZE));
        assertEquals(List.of("app"), parsed.positional());
    }

    @Test
    void roundedSizesKeepOneDecimal() {
        assertEquals("0B", Values.formatBytesRounded(0));
        assertEquals("1000B", Values.formatBytesRounded(1000));
        assertEquals("48KiB", Values.formatBytesRounded(48L << 10));
        assertEquals("1.5GiB", Values.formatBytesRounded(3L << 29));
        assertEquals("1.1GiB", Values.formatBytesRounded(1_205_632L << 10));
        assertEquals("2TiB", Values.formatBytesRounded(2L << 40));
    }
}
