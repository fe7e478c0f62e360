package dev.mooring.host.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How {@link OptionParser} rejects an option that the command does not take, or that is given twice. */
class OptionParserTest {

    private static String error(String command, String... arguments) {
        return assertThrows(IllegalArgumentException.class,
                () -> OptionParser.parse(List.of(arguments), HostOptions.COMMANDS.get(command), command)).getMessage();
    }

    @Test
    void typoSuggestsClosestOption() {
        String message = error("dev", "app", "--prot", "30103");

        assertEquals("Unknown option --prot for 'dev'. Did you mean --port? Run ./mooring dev --help to list its options.",
                message);
    }

    @Test
    void typoWithEqualsSuggestsClosestOption() {
        String message = error("serve", "--admin-prot=30103");

        assertTrue(message.contains("Did you mean --admin-port?"), message);
    }

    @Test
    void unknownOptionOmitsOptionList() {
        String message = error("dev", "app", "--nope");

        assertEquals("Unknown option --nope for 'dev'. Run ./mooring dev --help to list its options.", message);
        assertFalse(message.contains("--cpu-limit"), message);
    }

    @Test
    void otherCommandsOptionNamesCommand() {
        String message = error("dev", "app", "--admin-port", "30103");

        assertEquals("Unknown option --admin-port for 'dev'. --admin-port is an option of 'serve', not of 'dev'."
                + " Run ./mooring dev --help to list its options.", message);
    }

    @Test
    void optionOfTwoCommandsNamesBoth() {
        String message = error("deploy", "app", "--port", "30103");

        assertTrue(message.contains("--port is an option of 'dev' and 'serve', not of 'deploy'."), message);
        assertFalse(message.contains("Did you mean"), message);
    }

    @Test
    void repeatedOptionNamesBothValues() {
        String message = error("dev", "app", "--port", "30102", "--port", "30104");

        assertEquals("--port is given twice, as '30102' and as '30104'; give it once, with the value you want.", message);
    }

    @Test
    void repeatedOptionRejectedInEqualsForm() {
        String message = error("serve", "--cpu-limit=5s", "--port", "0", "--cpu-limit", "5s");

        assertTrue(message.startsWith("--cpu-limit is given twice, as '5s' and as '5s'"), message);
    }

    @Test
    void repeatedListOptionSuggestsOneList() {
        String message = error("dev", "app", "--allow-fetch", "api.example.com", "--allow-fetch", "10.0.0.0/8");

        assertTrue(message.startsWith("--allow-fetch is given twice, as 'api.example.com' and as '10.0.0.0/8'"), message);
        assertTrue(message.endsWith("Did you mean --allow-fetch api.example.com,10.0.0.0/8?"), message);
    }

    @Test
    void optionsGivenOnceAccepted() {
        OptionParser.Parsed parsed = OptionParser.parse(List.of("app", "--port", "30102", "--https-port", "30104"),
                HostOptions.DEV, "dev");

        assertEquals(30102, parsed.get(HostOptions.PORT));
        assertEquals(30104, parsed.get(HostOptions.HTTPS_PORT));
    }

    @Test
    void equallyCloseOptionsAllSuggested() {
        List<Option<?>> options = List.of(HostOptions.PORT, HostOptions.HOST, HostOptions.ADMIN_PORT);

        assertEquals(List.of("--port", "--host"), OptionParser.closestNames("--post", options));
    }

    @Test
    void shortNameAllowsOneEdit() {
        assertEquals(List.of("--to"), OptionParser.closestNames("--tp", HostOptions.DEPLOY));
        assertEquals(List.of(), OptionParser.closestNames("--x", HostOptions.DEPLOY));
    }

    @Test
    void farNameSuggestsNothing() {
        assertEquals(List.of(), OptionParser.closestNames("--verbose", HostOptions.DEV));
    }
}
