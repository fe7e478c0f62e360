package dev.mooring.host.cli;

import dev.mooring.host.config.HostOptions;
import dev.mooring.host.config.Option;
import dev.mooring.host.config.Values;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Text of {@code ./mooring --help}, which lists every command and option, and of {@code ./mooring
 * COMMAND --help}, which shows one command. Option lines come from {@link HostOptions}.
 */
final class Help {

    /** Maximum length of a help line, in characters. */
    static final int LINE_WIDTH = 100;

    /**
     * Column where every description starts. A usage or option name that reaches this column is
     * printed on its own line, and its description starts on the next line.
     */
    static final int DESCRIPTION_COLUMN = 32;

    /**
     * A command that {@code Main} runs.
     *
     * @param name the first argument, such as {@code dev}
     * @param usage the command line, such as {@code ./mooring dev DIR [options]}
     * @param purpose one sentence on what the command does, short enough for one line
     * @param details more about the command, shown only in the full help; empty when none
     * @param options the options the command accepts
     */
    record Command(String name, String usage, String purpose, String details, List<Option<?>> options) {}

    static final List<Command> COMMANDS = List.of(
            new Command("dev", "./mooring dev DIR [options]",
                    "Serve the wrangler-style project in DIR on http://127.0.0.1:8787/.",
                    "DIR contains wrangler.toml, wrangler.json or wrangler.jsonc.", HostOptions.DEV),
            new Command("serve", "./mooring serve [options]",
                    "Serve every deployed script on http://NAME.localhost:8787/.",
                    "Scripts are uploaded through the admin API on http://127.0.0.1:8788/scripts and kept across"
                            + " restarts.", HostOptions.SERVE),
            new Command("deploy", "./mooring deploy DIR --to URL [options]",
                    "Upload the project in DIR to the admin API at URL of a server started with ./mooring serve.",
                    "The bearer token comes from MOORING_ADMIN_TOKEN or --token-file.", HostOptions.DEPLOY));

    private Help() {}

    /** Returns the command named {@code name}, or empty when there is none. */
    static Optional<Command> command(String name) {
        return COMMANDS.stream().filter(command -> command.name().equals(name)).findFirst();
    }

    /** Prints the full help: every command, then the options of each command. */
    static void printAll(PrintStream out) {
        out.println("Mooring: a self-hosted runtime for Durable Objects on the JVM.");
        out.println();
        out.println("Usage:");
        for (Command command : COMMANDS) {
            String text = command.details().isEmpty() ? command.purpose() : command.purpose() + " " + command.details();
            printEntry(out, "  " + command.usage(), text);
        }
        printEntry(out, "  ./mooring test", "Run the whole test suite (mvn verify with JDK 25).");
        printEntry(out, "  ./mooring COMMAND --help", "Show the usage and options of one command.");
        printEntry(out, "  ./mooring --help", "Show this help.");
        printEntry(out, "  ./mooring --version", "Print the versions of Mooring, GraalJS and Java, one a line.");
        for (Command command : COMMANDS) {
            out.println();
            out.println("Options of '" + command.name() + "':");
            printOptions(out, command.options());
        }
        out.println();
        printNotes(out, COMMANDS.stream().flatMap(command -> command.options().stream()).toList());
    }

    /** Prints the help of one command: its usage, its purpose and the options it accepts. */
    static void printCommand(PrintStream out, Command command) {
        out.println("Usage: " + command.usage());
        out.println();
        out.println(command.purpose());
        out.println();
        out.println("Options:");
        printOptions(out, command.options());
        out.println();
        printNotes(out, command.options());
    }

    private static void printOptions(PrintStream out, List<Option<?>> options) {
        for (Option<?> option : options) {
            String unit = option.unit().isEmpty() ? "" : "; unit: " + option.unit();
            printEntry(out, "  " + option.name() + " " + option.valueName(),
                    option.description() + " (default: " + option.defaultForHelp() + unit + ")");
        }
    }

    /** Prints how to write the values of {@code options}, and where extra JVM options go. */
    private static void printNotes(PrintStream out, List<Option<?>> options) {
        if (options.stream().anyMatch(option -> option.unit().equals("duration"))) {
            printWrapped(out, "Durations take a unit: 500ms, 30s, 10m, 1h.");
        }
        if (options.stream().anyMatch(option -> option.unit().equals("bytes"))) {
            printWrapped(out, "Sizes are a whole number of bytes, optionally followed by one of the units "
                    + String.join(", ", Values.SIZE_UNITS) + " (powers of 1024, case-sensitive), such as 64KiB or 2GiB.");
        }
        printWrapped(out, "Extra JVM options go in the MOORING_JAVA_OPTS environment variable, for example -Xmx2g.");
    }

    /**
     * Prints {@code label} followed by {@code text} wrapped to start at {@link #DESCRIPTION_COLUMN}.
     * A label that leaves no space before that column gets a line of its own.
     */
    private static void printEntry(PrintStream out, String label, String text) {
        List<String> lines = wrap(text, LINE_WIDTH - DESCRIPTION_COLUMN);
        String indent = " ".repeat(DESCRIPTION_COLUMN);
        if (label.length() < DESCRIPTION_COLUMN) {
            out.println(label + " ".repeat(DESCRIPTION_COLUMN - label.length()) + lines.get(0));
        } else {
            out.println(label);
            out.println(indent + lines.get(0));
        }
        for (String line : lines.subList(1, lines.size())) {
            out.println(indent + line);
        }
    }

    private static void printWrapped(PrintStream out, String text) {
        wrap(text, LINE_WIDTH).forEach(out::println);
    }

    /** Splits text into lines of at most {@code width} characters at spaces. A longer word gets a line of its own. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > width) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }
}
