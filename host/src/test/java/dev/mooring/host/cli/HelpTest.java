package dev.mooring.host.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.host.config.HostOptions;
import dev.mooring.host.config.Option;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The text of {@code ./mooring --help} and {@code ./mooring COMMAND --help}. */
class HelpTest {

    private static final List<String> COMMANDS = List.of("dev", "serve", "deploy");

    /** Runs {@link Main#printHelp} and returns its standard output; fails when it writes an error. */
    private static String help(String... arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.printHelp(List.of(arguments), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static List<Option<?>> allOptions() {
        List<Option<?>> options = new ArrayList<>(HostOptions.DEV);
        options.addAll(HostOptions.SERVE);
        options.addAll(HostOptions.DEPLOY);
        return options;
    }

    /** Returns the line that starts the entry of {@code option}. */
    private static int entryLine(List<String> lines, Option<?> option) {
        String label = "  " + option.name() + " " + option.valueName();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals(label) || lines.get(i).startsWith(label + " ")) {
                return i;
            }
        }
        throw new AssertionError("no entry for " + option.name() + " in:\n" + String.join("\n", lines));
    }

    /** Returns the entry of {@code option}: its lines joined with single spaces. */
    private static String entryText(String output, Option<?> option) {
        List<String> lines = output.lines().toList();
        int first = entryLine(lines, option);
        StringBuilder text = new StringBuilder(lines.get(first).strip());
        for (int i = first + 1; i < lines.size() && lines.get(i).startsWith(" ".repeat(Help.DESCRIPTION_COLUMN)); i++) {
            text.append(' ').append(lines.get(i).strip());
        }
        return text.toString();
    }

    /** A placeholder that starts a path in help text, such as DATA in DATA/admin-token. */
    private static final Pattern PATH_PLACEHOLDER = Pattern.compile("(?<![/\\w])([A-Z]{2,})/");

    /** Returns the placeholders of a usage line that stand for arguments, such as DIR, but not URL in --to URL. */
    private static List<String> argumentPlaceholders(String usage) {
        String[] words = usage.split(" ");
        List<String> placeholders = new ArrayList<>();
        for (int i = 0; i < words.length; i++) {
            boolean optionValue = i > 0 && words[i - 1].startsWith("--");
            if (words[i].matches("[A-Z]+") && !optionValue) {
                placeholders.add(words[i]);
            }
        }
        return placeholders;
    }

    @Test
    void commandHelpShowsUsageAndPurpose() {
        for (String name : COMMANDS) {
            Help.Command command = Help.command(name).orElseThrow();
            List<String> lines = help(name, "--help").lines().toList();

            assertEquals("Usage: " + command.usage(), lines.get(0));
            assertEquals(command.purpose(), lines.get(2));
            assertTrue(command.purpose().length() <= Help.LINE_WIDTH, "purpose of " + name + " is not one line");
            assertFalse(lines.contains("Options of 'dev':"), name + " --help prints the full help");
        }
    }

    @Test
    void commandHelpListsOnlyItsOptions() {
        for (String name : COMMANDS) {
            Help.Command command = Help.command(name).orElseThrow();
            String output = help(name, "--help");
            List<String> lines = output.lines().toList();

            for (Option<?> option : command.options()) {
                entryLine(lines, option);
            }
            for (Option<?> option : allOptions()) {
                boolean accepted = command.options().stream().anyMatch(own -> own.name().equals(option.name()));
                if (!accepted) {
                    assertFalse(output.contains("  " + option.name() + " "), name + " --help lists " + option.name());
                }
            }
        }
    }

    @Test
    void helpAndParserAgreeOnOptions() {
        assertEquals(COMMANDS, List.copyOf(HostOptions.COMMANDS.keySet()));
        for (String name : COMMANDS) {
            assertEquals(HostOptions.COMMANDS.get(name), Help.command(name).orElseThrow().options(), name);
        }
    }

    @Test
    void pathPlaceholdersDefinedByCommand() {
        for (String name : COMMANDS) {
            Help.Command command = Help.command(name).orElseThrow();
            Set<String> defined = new HashSet<>(argumentPlaceholders(command.usage()));
            command.options().forEach(option -> defined.add(option.valueName()));

            for (Option<?> option : command.options()) {
                String text = option.description() + " " + option.defaultForHelp();
                Matcher placeholder = PATH_PLACEHOLDER.matcher(text);
                while (placeholder.find()) {
                    assertTrue(defined.contains(placeholder.group(1)), name + " --help: " + option.name() + " uses "
                            + placeholder.group(1) + ", which is neither in '" + command.usage() + "' nor an option value");
                }
            }
        }
    }

    @Test
    void valueNamesDifferFromArguments() {
        for (String name : COMMANDS) {
            Help.Command command = Help.command(name).orElseThrow();
            List<String> arguments = argumentPlaceholders(command.usage());

            for (Option<?> option : command.options()) {
                assertFalse(arguments.contains(option.valueName()), name + " --help: " + option.name() + " "
                        + option.valueName() + " reuses the placeholder of an argument in '" + command.usage() + "'");
            }
        }
    }

    @Test
    void adminTokenFileNamesDataFolder() {
        String serve = help("serve", "--help");

        assertTrue(entryText(serve, HostOptions.ADMIN_TOKEN_FILE).contains("DATA/admin-token"),
                entryText(serve, HostOptions.ADMIN_TOKEN_FILE));
        assertTrue(entryText(serve, HostOptions.SERVE_DATA).startsWith("--data DATA "), entryText(serve, HostOptions.SERVE_DATA));
        assertTrue(entryText(help("dev", "--help"), HostOptions.DATA).startsWith("--data DATA "));
    }

    @Test
    void commandHelpDiffersPerCommand() {
        String dev = help("dev", "--help");
        String serve = help("serve", "--help");
        String deploy = help("deploy", "--help");

        assertNotEquals(dev, serve);
        assertNotEquals(dev, deploy);
        assertNotEquals(serve, deploy);
        assertFalse(deploy.contains("--port"), deploy);
        assertFalse(dev.contains("--admin-port"), dev);
        assertFalse(serve.contains("--to URL"), serve);
    }

    @Test
    void helpWordBeforeCommandMatchesFlag() {
        for (String name : COMMANDS) {
            assertEquals(help(name, "--help"), help("help", name));
            assertEquals(help(name, "--help"), help(name, "-h"));
            assertEquals(help(name, "--help"), help(name, "samples/counter", "--port", "0", "--help"));
        }
    }

    @Test
    void noArgumentsPrintsHelpAndFails() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = Main.printHelp(List.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        String error = err.toString(StandardCharsets.UTF_8);
        assertEquals(Main.EXIT_USAGE, status);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertTrue(error.startsWith("mooring: missing command; give one of dev, serve, deploy."), error);
        assertEquals(help("--help"), error.substring(error.indexOf("\n\n") + 2), "the full help follows");
    }

    @Test
    void helpWordWithUnknownCommandFails() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = Main.printHelp(List.of("help", "frobnicate"), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertEquals(Main.EXIT_USAGE, status);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("unknown command 'frobnicate'"), err.toString());
    }

    @Test
    void misspelledCommandGetsTheNearestCommand() {
        assertEquals("mooring: unknown command 'devv'. Did you mean dev? Run ./mooring --help for the list of commands.",
                Main.unknownCommand("devv"));
        assertEquals("mooring: unknown command 'frobnicate'. Run ./mooring --help for the list of commands.",
                Main.unknownCommand("frobnicate"));
    }

    @Test
    void fullHelpListsEveryCommandAndOption() {
        for (List<String> arguments : List.of(List.of("--help"), List.of("-h"), List.of("help"),
                List.of("frobnicate", "--help"))) {
            String output = help(arguments.toArray(String[]::new));

            for (String name : COMMANDS) {
                assertTrue(output.contains(Help.command(name).orElseThrow().usage()), "usage of " + name + " missing");
                assertTrue(output.contains("Options of '" + name + "':"), "options of " + name + " missing");
            }
            assertTrue(output.contains("./mooring test"), output);
            assertTrue(output.contains("./mooring --version"), output);
            for (Option<?> option : allOptions()) {
                assertTrue(output.contains("  " + option.name() + " " + option.valueName()), option.name() + " missing");
            }
        }
    }

    @Test
    void linesFitWidth() {
        for (String output : List.of(help("--help"), help("dev", "--help"), help("serve", "--help"), help("deploy", "--help"))) {
            for (String line : output.lines().toList()) {
                assertTrue(line.length() <= Help.LINE_WIDTH, "line longer than " + Help.LINE_WIDTH + ": " + line);
            }
        }
    }

    @Test
    void descriptionsStartInOneColumn() {
        String output = help("--help");
        List<String> lines = output.lines().toList();
        int column = Help.DESCRIPTION_COLUMN;

        for (Option<?> option : allOptions()) {
            int first = entryLine(lines, option);
            String label = "  " + option.name() + " " + option.valueName();
            String line = lines.get(first);
            String descriptionLine = line.length() > label.length() ? line : lines.get(first + 1);
            int start = line.length() > label.length() ? label.length() : 0;
            while (descriptionLine.charAt(start) == ' ') {
                start++;
            }
            assertEquals(column, start, "description of " + option.name() + " starts elsewhere: " + descriptionLine);
        }
        for (String line : lines) {
            if (line.startsWith(" ".repeat(column))) {
                assertTrue(line.length() > column, "blank continuation line: '" + line + "'");
                assertTrue(line.charAt(column) != ' ', "continuation line indented past the column: '" + line + "'");
            }
        }
    }

    @Test
    void longOptionNameGetsOwnLine() {
        List<String> lines = help("dev", "--help").lines().toList();

        int first = entryLine(lines, HostOptions.MAX_WEBSOCKETS_PER_OBJECT);

        assertEquals("  --max-websockets-per-object COUNT", lines.get(first));
        assertTrue(lines.get(first + 1).startsWith(" ".repeat(Help.DESCRIPTION_COLUMN) + "Most WebSockets"),
                lines.get(first + 1));
    }

    @Test
    void machineDefaultsShownOnce() {
        String output = help("dev", "--help");
        String cpus = String.valueOf(Runtime.getRuntime().availableProcessors());

        for (Option<?> option : List.of(HostOptions.EVENT_LOOPS, HostOptions.IO_THREADS)) {
            String entry = entryText(output, option).toLowerCase(Locale.ROOT);
            int count = entry.split("default", -1).length - 1;
            assertEquals(1, count, "default stated " + count + " times: " + entry);
        }
        assertTrue(entryText(output, HostOptions.EVENT_LOOPS)
                .contains("(default: the number of CPUs, which is " + cpus + " on this machine; unit: threads)"),
                entryText(output, HostOptions.EVENT_LOOPS));
    }

    @Test
    void constantDefaultShownPlain() {
        String output = help("dev", "--help");

        assertTrue(entryText(output, HostOptions.CPU_LIMIT).endsWith("(default: 30s; unit: duration)"));
        assertTrue(entryText(output, HostOptions.HTTPS_PORT).endsWith("(default: none)"));
    }

    @Test
    void unitNotesMatchCommand() {
        String deploy = help("deploy", "--help");
        String dev = help("dev", "--help");

        assertTrue(deploy.contains("Durations take a unit"), deploy);
        assertFalse(deploy.contains("Sizes are"), "deploy has no size option:\n" + deploy);
        assertTrue(dev.replaceAll("\\s+", " ").contains("B, KiB, MiB, GiB, TiB (powers of 1024, case-sensitive)"), dev);
    }

    @Test
    void wrapBreaksAtSpaces() {
        assertEquals(List.of("aaa bbb", "ccc"), Help.wrap("aaa bbb ccc", 7));
        assertEquals(List.of("a", "abcdefghij", "b"), Help.wrap("a abcdefghij b", 5));
        assertEquals(List.of(""), Help.wrap("", 10));
    }
}
