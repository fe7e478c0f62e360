package dev.mooring.host.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code --name value} and {@code --name=value} arguments against a list of declared
 * options; everything else is a positional argument. An unknown option is rejected with the
 * command that takes it or the closest option of this command, and a pointer to the command's
 * {@code --help}.
 */
public final class OptionParser {

    /** The parsed arguments: values of the options given, and the positional arguments in order. */
    public static final class Parsed {
        private final Map<Option<?>, Object> values = new HashMap<>();
        /** The text given for each option, as typed, for the error when an option is repeated. */
        private final Map<Option<?>, String> texts = new HashMap<>();
        private final List<String> positional = new ArrayList<>();

        /** Returns the value given for {@code option}, or its parsed default. */
        @SuppressWarnings("unchecked")
        public <T> T get(Option<T> option) {
            if (values.containsKey(option)) {
                return (T) values.get(option);
            }
            if (option.defaultValue() == null) {
                return null;
            }
            return option.parse(option.defaultValue());
        }

        /** Whether the option was given on the command line. */
        public boolean has(Option<?> option) {
            return values.containsKey(option);
        }

        public List<String> positional() {
            return positional;
        }
    }

    private OptionParser() {}

    /**
     * Parses {@code arguments}.
     *
     * @throws IllegalArgumentException naming the unknown option, the repeated option or the invalid value
     */
    public static Parsed parse(List<String> arguments, List<Option<?>> options, String command) {
        Parsed parsed = new Parsed();
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (!argument.startsWith("--")) {
                parsed.positional.add(argument);
                continue;
            }
            int equals = argument.indexOf('=');
            String name = equals < 0 ? argument : argument.substring(0, equals);
            Option<?> option = options.stream().filter(candidate -> candidate.name().equals(name)).findFirst().orElse(null);
            if (option == null) {
                throw new IllegalArgumentException(unknownOptionMessage(name, options, command));
            }
            String text;
            if (equals >= 0) {
                text = argument.substring(equals + 1);
            } else if (i + 1 < arguments.size()) {
                text = arguments.get(++i);
            } else {
                throw new IllegalArgumentException("Option " + name + " needs a value: " + option.valueName());
            }
            rejectRepeated(option, parsed.texts.get(option), text);
            rejectSplitUnit(option, text, i + 1 < arguments.size() ? arguments.get(i + 1) : null);
            parsed.texts.put(option, text);
            parsed.values.put(option, option.parse(text));
        }
        return parsed;
    }

    /**
     * Builds the error for option {@code name}, which {@code command} does not take. It names the
     * other commands that take the option, or else suggests the closest options of {@code command}.
     */
    private static String unknownOptionMessage(String name, List<Option<?>> options, String command) {
        String message = "Unknown option " + name + " for '" + command + "'.";
        List<String> owners = HostOptions.COMMANDS.entrySet().stream()
                .filter(entry -> !entry.getKey().equals(command))
                .filter(entry -> entry.getValue().stream().anyMatch(option -> option.name().equals(name)))
                .map(entry -> "'" + entry.getKey() + "'")
                .toList();
        if (!owners.isEmpty()) {
            message += " " + name + " is an option of " + String.join(" and ", owners) + ", not of '" + command + "'.";
        } else {
            List<String> closest = closestNames(name, options);
            if (!closest.isEmpty()) {
                message += " Did you mean " + String.join(" or ", closest) + "?";
            }
        }
        return message + " Run ./mooring " + command + " --help to list its options.";
    }

    /**
     * Returns the names of {@code options} that are fewest edits away from {@code name}, in
     * declaration order, as {@link Spelling#closest} picks them.
     */
    static List<String> closestNames(String name, List<Option<?>> options) {
        List<String> typedNames = options.stream().map(option -> option.name().substring(2)).toList();
        return Spelling.closest(name.substring(2), typedNames).stream().map(closest -> "--" + closest).toList();
    }

    /**
     * Rejects an option given a second time, which would otherwise silently replace the first value.
     * For an option that takes a comma-separated list, the error suggests one list with both values.
     */
    private static void rejectRepeated(Option<?> option, String firstText, String secondText) {
        if (firstText == null) {
            return;
        }
        String message = option.name() + " is given twice, as '" + firstText + "' and as '" + secondText + "'; ";
        if (option.valueName().contains(",")) {
            message += "give it once, with the values separated by commas. Did you mean " + option.name() + " "
                    + firstText + "," + secondText + "?";
        } else {
            message += "give it once, with the value you want.";
        }
        throw new IllegalArgumentException(message);
    }

    /**
     * Rejects a size or duration option whose number and unit arrived as two arguments, as the
     * shell splits {@code --storage-map-size 1 GiB} and {@code --cpu-limit 5 s}. Without this check
     * a duration would be rejected for having no unit, and a size would leave its unit behind as a
     * positional argument, so the command would report a wrong number of folders.
     *
     * <p>NOTE: this also rejects a positional argument that is spelled like a unit (a project
     * folder named {@code b}, {@code s} or {@code m}) right after a bare number; moving the folder
     * before the options avoids it.
     */
    private static void rejectSplitUnit(Option<?> option, String value, String nextArgument) {
        if (nextArgument == null) {
            return;
        }
        String amount = value.strip();
        String joined = null;
        if (option.unit().equals("bytes") && amount.matches("\\d+")) {
            String unit = Values.canonicalSizeUnit(nextArgument);
            joined = unit == null ? null : amount + unit;
        } else if (option.unit().equals("duration") && amount.matches("\\d+(\\.\\d+)?")) {
            joined = Values.durationSpelling(amount, nextArgument);
        }
        if (joined != null) {
            throw new IllegalArgumentException("Invalid value '" + value + "' followed by '" + nextArgument + "' for "
                    + option.name() + ": write the number and its unit as one argument, without a space. Did you mean "
                    + option.name() + " " + joined + "?");
        }
    }
}
