package dev.mooring.host.project;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local variables of {@code ./mooring dev}: {@code .dev.vars} next to the configuration file,
 * or {@code .env} when there is no {@code .dev.vars}, as {@code wrangler dev} reads them. They contain
 * secrets for local runs, so they override {@code [vars]} of the same name, are never uploaded by
 * {@code deploy}, and their values are never logged.
 *
 * <p>The format is dotenv's: {@code NAME=value} lines, blank lines and {@code #} comments, an
 * optional {@code export} before the name, and values in single, double or back quotes, which may
 * span lines. In double quotes {@code \n} and {@code \r} become line breaks. An unquoted value ends
 * at a {@code #} that follows whitespace. Every value is a string.
 */
public final class LocalVarsFile {

    /** The file names tried, in order; the first that exists is read. */
    static final List<String> FILE_NAMES = List.of(".dev.vars", ".env");

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");

    private static final Pattern ASSIGNMENT = Pattern.compile("^\\s*(?:export\\s+)?([^=\\s]+)\\s*=\\s*(.*)$");

    /** The start of a comment after an unquoted value: a # that follows whitespace. */
    private static final Pattern TRAILING_COMMENT = Pattern.compile("\\s#");

    /**
     * The variables read and the file they came from.
     *
     * @param file the file read
     * @param vars the variables in file order
     */
    public record Contents(Path file, Map<String, String> vars) {
        public Contents {
            vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
        }
    }

    private LocalVarsFile() {}

    /**
     * Reads the local variables of a project whose configuration file is in {@code directory}.
     * Returns empty when neither file exists.
     *
     * @throws ProjectException when the file cannot be read or a line is not {@code NAME=value};
     *     the message names the file and the line
     */
    public static Optional<Contents> read(Path directory) throws ProjectException {
        for (String fileName : FILE_NAMES) {
            Path file = directory.resolve(fileName);
            if (Files.isRegularFile(file)) {
                String text;
                try {
                    text = Files.readString(file, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new ProjectException("Failed to read " + file + ": " + e.getMessage(), e);
                }
                return Optional.of(new Contents(file, parse(fileName, text)));
            }
        }
        return Optional.empty();
    }

    /** Parses dotenv text; {@code fileName} names the file in error messages. */
    static Map<String, String> parse(String fileName, String text) throws ProjectException {
        Map<String, String> vars = new LinkedHashMap<>();
        String[] lines = text.replace("\r\n", "\n").split("\n", -1);
        for (int index = 0; index < lines.length; index++) {
            String line = lines[index];
            int lineNumber = index + 1;
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }

            Matcher assignment = ASSIGNMENT.matcher(line);
            if (!assignment.matches()) {
                throw new ProjectException(fileName + " line " + lineNumber + ": expected NAME=value, found \""
                        + line.strip() + "\". Write each variable as NAME=value, or start the line with # for a comment");
            }
            String name = assignment.group(1);
            if (!NAME.matcher(name).matches()) {
                throw new ProjectException(fileName + " line " + lineNumber + ": \"" + name + "\" is not a variable name;"
                        + " use letters, digits and _, starting with a letter or _");
            }

            String rest = assignment.group(2);
            char quote = rest.isEmpty() ? 0 : rest.charAt(0);
            if (quote == '"' || quote == '\'' || quote == '`') {
                QuotedValue value = quotedValue(fileName, lines, index, rest, quote);
                vars.put(name, value.text());
                index = value.lastLine();
            } else {
                vars.put(name, unquotedValue(rest));
            }
        }
        return vars;
    }

    /** A quoted value and the index of the line its closing quote is on. */
    private record QuotedValue(String text, int lastLine) {}

    private static QuotedValue quotedValue(String fileName, String[] lines, int firstLine, String rest, char quote)
            throws ProjectException {
        StringBuilder text = new StringBuilder(rest.substring(1));
        int line = firstLine;
        int close = text.indexOf(String.valueOf(quote));
        while (close < 0) {
            line++;
            if (line == lines.length) {
                throw new ProjectException(fileName + " line " + (firstLine + 1) + ": the value opened with " + quote
                        + " is never closed; end it with " + quote);
            }
            text.append('\n').append(lines[line]);
            close = text.indexOf(String.valueOf(quote));
        }
        String value = text.substring(0, close);
        if (quote == '"') {
            value = value.replace("\\n", "\n").replace("\\r", "\r");
        }
        return new QuotedValue(value, line);
    }

    private static String unquotedValue(String rest) {
        Matcher comment = TRAILING_COMMENT.matcher(rest);
        return (comment.find() ? rest.substring(0, comment.start()) : rest).strip();
    }
}
