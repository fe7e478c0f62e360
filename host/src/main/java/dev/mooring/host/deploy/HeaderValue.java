package dev.mooring.host.deploy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A header value of the form {@code value; name=param; name="quoted param"}, as in
 * {@code Content-Type} and {@code Content-Disposition}. Parameter names are case-insensitive and
 * stored in lowercase; a quoted value may contain {@code ;} and backslash escapes.
 *
 * <p>Unquoted parameter values are read leniently up to the next {@code ;} or whitespace, because
 * clients send boundaries with characters such as {@code /} and {@code :} unquoted although RFC
 * 9110 would have them quoted.
 *
 * @param value      the part before the first {@code ;}, trimmed, in its original case
 * @param parameters the parameters in order, by lowercase name
 */
record HeaderValue(String value, Map<String, String> parameters) {

    HeaderValue {
        parameters = Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
    }

    /** Returns {@link #value()} in lowercase, the form to compare media and disposition types in. */
    String lowercaseValue() {
        return value.toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException with a message that states what is wrong, for the caller
     *                                  to put after the header's name
     */
    static HeaderValue parse(String text) {
        int semicolon = text.indexOf(';');
        String value = (semicolon < 0 ? text : text.substring(0, semicolon)).trim();
        Map<String, String> parameters = new LinkedHashMap<>();
        int position = semicolon < 0 ? text.length() : semicolon;
        while (position < text.length()) {
            // position is at a ';'
            position = skipWhitespace(text, position + 1);
            if (position == text.length()) {
                break;
            }
            int nameStart = position;
            while (position < text.length() && isNameCharacter(text.charAt(position))) {
                position++;
            }
            String name = text.substring(nameStart, position).toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                throw new IllegalArgumentException("has a parameter without a name at character " + (position + 1)
                        + " (\"" + text.charAt(position) + "\")");
            }
            position = skipWhitespace(text, position);
            if (position == text.length() || text.charAt(position) != '=') {
                throw new IllegalArgumentException("has the parameter " + name + " without a value; write "
                        + name + "=\"...\"");
            }
            position = skipWhitespace(text, position + 1);
            StringBuilder parameterValue = new StringBuilder();
            if (position < text.length() && text.charAt(position) == '"') {
                position = readQuoted(text, position, name, parameterValue);
            } else {
                while (position < text.length() && text.charAt(position) != ';'
                        && !Character.isWhitespace(text.charAt(position)) && text.charAt(position) != '"') {
                    parameterValue.append(text.charAt(position));
                    position++;
                }
            }
            position = skipWhitespace(text, position);
            if (position < text.length() && text.charAt(position) != ';') {
                throw new IllegalArgumentException("has the unexpected character \"" + text.charAt(position)
                        + "\" after the parameter " + name + "; separate parameters with \";\" and quote values "
                        + "that contain spaces or quotes");
            }
            if (parameters.put(name, parameterValue.toString()) != null) {
                throw new IllegalArgumentException("repeats the parameter " + name + "; give it once");
            }
        }
        return new HeaderValue(value, parameters);
    }

    // Reads a quoted-string starting at the opening quote; returns the position after the closing one.
    private static int readQuoted(String text, int openingQuote, String name, StringBuilder value) {
        int position = openingQuote + 1;
        while (position < text.length()) {
            char c = text.charAt(position);
            if (c == '"') {
                return position + 1;
            }
            if (c == '\\' && position + 1 < text.length()) {
                position++;
                c = text.charAt(position);
            }
            value.append(c);
            position++;
        }
        throw new IllegalArgumentException("has the parameter " + name + " with a quoted value that is not closed; "
                + "end it with a double quote");
    }

    private static boolean isNameCharacter(char c) {
        return c < 0x7F && c > ' ' && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }

    private static int skipWhitespace(String text, int position) {
        while (position < text.length() && (text.charAt(position) == ' ' || text.charAt(position) == '\t')) {
            position++;
        }
        return position;
    }
}
