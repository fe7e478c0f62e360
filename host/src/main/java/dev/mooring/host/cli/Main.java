package dev.mooring.host.cli;

import dev.mooring.host.config.Spelling;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Command-line entry point: {@code mooring <command> [arguments] [options]}. The launcher script
 * starts the JVM with the flags GraalJS and lmdbjava need and calls this class.
 */
public final class Main {

    /** Exit status for a usage error or a project that cannot run. */
    static final int EXIT_USAGE = 2;

    /** The command word that prints the versions, like the flag {@code --version}. */
    static final String VERSION_COMMAND = "version";

    /** First arguments that print the versions and exit. */
    static final List<String> VERSION_WORDS = List.of("--version", VERSION_COMMAND);

    private Main() {}

    public static void main(String[] args) {
        List<String> arguments = Arrays.asList(args);
        if (arguments.isEmpty() || arguments.contains("--help") || arguments.contains("-h") || arguments.get(0).equals("help")) {
            int status = printHelp(arguments, System.out, System.err);
            if (status != 0) {
                System.exit(status);
            }
            return;
        }
        String command = arguments.get(0);
        if (VERSION_WORDS.contains(command)) {
            Versions.current().print(System.out);
            return;
        }
        List<String> rest = arguments.subList(1, arguments.size());
        int status = switch (command) {
            case "dev" -> DevCommand.run(rest);
            case "serve" -> ServeCommand.run(rest);
            case "deploy" -> DeployCommand.run(rest);
            default -> {
                System.err.println(unknownCommand(command));
                yield EXIT_USAGE;
            }
        };
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Returns the message for a command that does not exist, with the nearest commands when one is close. */
    static String unknownCommand(String name) {
        List<String> words = new ArrayList<>(Help.COMMANDS.stream().map(Help.Command::name).toList());
        words.add(VERSION_COMMAND);
        List<String> closest = Spelling.closest(name, words);
        return "mooring: unknown command '" + name + "'."
                + (closest.isEmpty() ? "" : " Did you mean " + String.join(" or ", closest) + "?")
                + " Run ./mooring --help for the list of commands.";
    }

    /**
     * Prints the help that {@code arguments} ask for: one command's help for {@code COMMAND --help}
     * and {@code help COMMAND}, else the full help.
     *
     * Without arguments it prints the full help to {@code err}, after a line saying that the
     * command is missing, because a script that runs {@code mooring} with an empty variable
     * should see the call fail.
     *
     * @return the exit status: 0, or {@link #EXIT_USAGE} for no arguments or {@code help} with an
     *     unknown command
     */
    static int printHelp(List<String> arguments, PrintStream out, PrintStream err) {
        if (arguments.isEmpty()) {
            err.println("mooring: missing command; give one of " + Help.COMMANDS.stream().map(Help.Command::name).collect(Collectors.joining(", ")) + ".");
            err.println();
            Help.printAll(err);
            return EXIT_USAGE;
        }
        boolean helpCommand = !arguments.isEmpty() && arguments.get(0).equals("help");
        String name = null;
        if (helpCommand && arguments.size() > 1) {
            name = arguments.get(1);
        } else if (!helpCommand && !arguments.isEmpty()) {
            name = arguments.get(0);
        }
        Optional<Help.Command> command = name == null ? Optional.empty() : Help.command(name);
        if (command.isPresent()) {
            Help.printCommand(out, command.get());
            return 0;
        }
        if (helpCommand && name != null) {
            err.println(unknownCommand(name));
            return EXIT_USAGE;
        }
        Help.printAll(out);
        return 0;
    }
}
