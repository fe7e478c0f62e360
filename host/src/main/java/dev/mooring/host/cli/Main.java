package dev.mooring.host.cli;

import dev.mooring.host.config.HostOptions;
import dev.mooring.host.config.Option;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * Command-line entry point: {@code mooring <command> [arguments] [options]}. The launcher script
 * starts the JVM with the flags GraalJS and lmdbjava need and calls this class.
 */
public final class Main {

    /** Exit status for a usage error or a project that cannot run. */
    static final int EXIT_USAGE = 2;

    /** Width of the description column in {@code --help}, in characters. */
    private static final int HELP_TEXT_WIDTH = 68;

    private Main() {}

    public static void main(String[] args) {
        List<String> arguments = Arrays.asList(args);
        if (arguments.isEmpty() || arguments.contains("--help") || arguments.contains("-h") || arguments.get(0).equals("help")) {
            printHelp(System.out);
            return;
        }
        String command = arguments.get(0);
        List<String> rest = arguments.subList(1, arguments.size());
        int status = switch (command) {
            case "dev" -> DevCommand.run(rest);
            case "serve" -> ServeCommand.run(rest);
            case "deploy" -> DeployCommand.run(rest);
            default -> {
                System.err.println("mooring: unknown command '" + command + "'. Run ./mooring --help for the list of commands.");
                yield EXIT_USAGE;
            }
        };
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Splits text into lines of at most {@code width} characters at spaces. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new java.util.ArrayList<>();
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

    static void printHelp(PrintStream out) {
        out.println("""
                Mooring: a self-hosted runtime for Durable Objects on the JVM.

                Usage:
                  ./mooring dev DIR [options]   Serve the wrangler-style project in DIR (wrangler.toml,
                                                wrangler.json or wrangler.jsonc) on http://127.0.0.1:8787/
                  ./mooring serve [options]     Serve every deployed script on http://NAME.localhost:8787/;
                                                scripts are uploaded through the admin API on
                                                http://127.0.0.1:8788/scripts and kept across restarts
                  ./mooring deploy DIR --to URL Upload the project in DIR to the admin API at URL of a server
                                                started with ./mooring serve; the bearer token comes from
                                                MOORING_ADMIN_TOKEN or --token-file
                  ./mooring test                Run the whole test suite (mvn verify with JDK 25)
                  ./mooring --help              Show this help

                Options of 'dev':""");
        printOptions(out, HostOptions.DEV);
        out.println("""

                Options of 'serve':""");
        printOptions(out, HostOptions.SERVE);
        out.println("""

                Options of 'deploy':""");
        printOptions(out, HostOptions.DEPLOY);
        out.println("""

                Durations take a unit: 500ms, 30s, 10m, 1h. Sizes take B, KiB, MiB, GiB or no unit (bytes).
                Extra JVM options go in the MOORING_JAVA_OPTS environment variable, for example -Xmx2g.""");
    }

    private static void printOptions(PrintStream out, List<Option<?>> options) {
        for (Option<?> option : options) {
            String flag = "  " + option.name() + " " + option.valueName();
            String defaultText = option.defaultValue() == null ? "none" : option.defaultValue();
            String unit = option.unit().isEmpty() ? "" : "; unit: " + option.unit();
            List<String> lines = wrap(option.description() + " (default: " + defaultText + unit + ")", HELP_TEXT_WIDTH);
            out.printf("%-32s %s%n", flag, lines.get(0));
            for (String line : lines.subList(1, lines.size())) {
                out.printf("%-32s %s%n", "", line);
            }
        }
    }
}
