package dev.mooring.host.config;

import java.util.Objects;
import java.util.function.Function;

/**
 * One command-line option, declared once with everything {@code --help} shows: its name, the
 * kind of value it takes, its default, its unit and what it sets.
 *
 * @param name the flag, such as {@code --port}
 * @param valueName placeholder for the value in help text, such as {@code PORT}
 * @param defaultValue the default as the user would type it, or null when there is none
 * @param defaultRule how the default is derived when it depends on the machine, such as "the
 *     number of CPUs"; {@code --help} shows it next to {@code defaultValue}. Null when the default
 *     is a constant.
 * @param unit the unit of the value for help text, such as "duration" or "bytes"; empty when none
 * @param description what the option sets
 * @param parser turns the typed text into a value; throws {@link IllegalArgumentException} with a
 *     message that says what is accepted
 */
public record Option<T>(String name, String valueName, String defaultValue, String defaultRule, String unit,
        String description, Function<String, T> parser) {

    public Option {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(parser, "parser");
        if (!name.startsWith("--")) {
            throw new IllegalArgumentException("Option names start with --: " + name);
        }
    }

    /** Declares an option whose default is a constant. */
    public Option(String name, String valueName, String defaultValue, String unit, String description,
            Function<String, T> parser) {
        this(name, valueName, defaultValue, null, unit, description, parser);
    }

    /**
     * Returns the default as {@code --help} shows it: the value, preceded by its rule when it
     * depends on the machine, or "none".
     */
    public String defaultForHelp() {
        if (defaultValue == null) {
            return "none";
        }
        return defaultRule == null ? defaultValue : defaultRule + ", which is " + defaultValue + " on this machine";
    }

    /** Parses {@code text}, naming this option in the error. */
    public T parse(String text) {
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid value '" + text + "' for " + name + ": " + e.getMessage(), e);
        }
    }
}
