package dev.mooring.host.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Duration values such as {@code 30s}: what is accepted, and the errors for near misses. */
class DurationValuesTest {

    private static final String UNITS = "ms, s, m, h (milliseconds, seconds, minutes, hours)";

    private static String error(Option<?> option, String text) {
        return assertThrows(IllegalArgumentException.class, () -> option.parse(text)).getMessage();
    }

    private static String parseError(String... arguments) {
        return assertThrows(IllegalArgumentException.class,
                () -> OptionParser.parse(List.of(arguments), HostOptions.DEV, "dev")).getMessage();
    }

    @Test
    void validDurationsParse() {
        assertEquals(Duration.ofMillis(500), Values.duration("500ms"));
        assertEquals(Duration.ofSeconds(30), Values.duration("30s"));
        assertEquals(Duration.ofSeconds(90), Values.duration("1.5m"));
        assertEquals(Duration.ofHours(1), Values.duration("1 h"));
    }

    @Test
    void unitInSeparateArgumentSuggestsJoined() {
        Map<List<String>, String> suggestions = Map.of(
                List.of("--cpu-limit", "5", "s"), "Did you mean --cpu-limit 5s?",
                List.of("--cpu-limit=5", "sec"), "Did you mean --cpu-limit 5s?",
                List.of("--idle-timeout", "1.5", "m"), "Did you mean --idle-timeout 1.5m?",
                List.of("--warmup", "200", "ms"), "Did you mean --warmup 200ms?",
                List.of("--fetch-timeout", "2", "minutes"), "Did you mean --fetch-timeout 2m?");
        for (Map.Entry<List<String>, String> entry : suggestions.entrySet()) {
            List<String> arguments = entry.getKey();
            String message = parseError(arguments.toArray(String[]::new));

            assertTrue(message.contains("followed by '" + arguments.getLast() + "'"), message);
            assertTrue(message.contains("write the number and its unit as one argument"), message);
            assertTrue(message.endsWith(entry.getValue()), message);
        }
    }

    @Test
    void numberBeforeFolderAccepted() {
        OptionParser.Parsed parsed = OptionParser.parse(List.of("--cpu-limit", "5s", "app"), HostOptions.DEV, "dev");

        assertEquals(Duration.ofSeconds(5), parsed.get(HostOptions.CPU_LIMIT));
        assertEquals(List.of("app"), parsed.positional());
    }

    @Test
    void missingUnitIsNamed() {
        String message = error(HostOptions.CPU_LIMIT, "5");

        assertTrue(message.startsWith("Invalid value '5' for --cpu-limit: the duration 5 has no unit; "), message);
        assertTrue(message.contains(UNITS), message);
        assertFalse(message.contains("Did you mean"), "a bare number names no unit to suggest: " + message);
    }

    @Test
    void dayUnitListsAcceptedUnits() {
        String message = error(HostOptions.CPU_LIMIT, "1d");

        assertTrue(message.startsWith("Invalid value '1d' for --cpu-limit: 'd' is not a duration unit; "), message);
        assertTrue(message.contains(UNITS), message);
        assertTrue(message.endsWith("Did you mean 24h?"), message);
    }

    @Test
    void nearMissSuggestsSpelling() {
        Map<String, String> suggestions = Map.of(
                "5sec", "5s",
                "10 mins", "10m",
                "2hours", "2h",
                "500MS", "500ms",
                "1.5d", "36h",
                "3S", "3s");
        for (Map.Entry<String, String> entry : suggestions.entrySet()) {
            String message = error(HostOptions.IDLE_TIMEOUT, entry.getKey());

            assertTrue(message.startsWith("Invalid value '" + entry.getKey() + "' for --idle-timeout: "), message);
            assertTrue(message.contains(UNITS), message);
            assertTrue(message.endsWith("Did you mean " + entry.getValue() + "?"), message);
        }
    }

    @Test
    void unknownUnitListsUnitsOnly() {
        for (String text : List.of("5x", "", "-1s", "s", "soon", "5 fortnights")) {
            String message = error(HostOptions.CPU_LIMIT, text);

            assertTrue(message.startsWith("Invalid value '" + text + "' for --cpu-limit: "), message);
            assertTrue(message.contains(UNITS), message);
            assertFalse(message.contains("Did you mean"), message);
        }
    }

    @Test
    void spellingIgnoresCaseAndConvertsDays() {
        assertEquals("5s", Values.durationSpelling("5", "Seconds"));
        assertEquals("48h", Values.durationSpelling("2", "days"));
        assertEquals("12h", Values.durationSpelling("0.5", "d"));
        assertNull(Values.durationSpelling("5", "app"));
        assertNull(Values.durationSpelling("5", "GiB"));
    }
}
