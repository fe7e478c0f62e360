package dev.mooring.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Pins what keeps the runtime's shared code fast in every context: no runtime file declares or
 * uses private class members. GraalJS makes new private names each time a class is evaluated, so
 * objects of one runtime class get a different shape in every context, and the compiled code that
 * all contexts of the engine share goes generic once more than a few contexts have run it (see
 * {@link RuntimeScripts}).
 */
class RuntimeSharedCodeTest {

    private static final Pattern PRIVATE_NAME = Pattern.compile("(?<![\\w$])#[A-Za-z_$][\\w$]*");

    @Test
    void runtimeFilesUseNoPrivateClassMembers() throws IOException {
        List<String> found = new ArrayList<>();
        for (String file : RuntimeScripts.FILES) {
            String code = withoutCommentsAndStrings(read(file));
            Matcher matcher = PRIVATE_NAME.matcher(code);
            while (matcher.find()) {
                found.add(file + ":" + lineOf(code, matcher.start()) + " " + matcher.group());
            }
        }
        assertTrue(found.isEmpty(), found.size() + " private names, keep instance state in a per-class WeakMap instead: "
                + found.subList(0, Math.min(10, found.size())));
    }

    @Test
    void scannerSkipsCommentsAndLiterals() {
        String code = withoutCommentsAndStrings("""
                class A { #x = 1; get x() { return this.#x; } }
                // a comment about #y
                const s = '#z', t = "#w", u = `#v ${'#q'}`; /* #p */
                const token = /^[!#$%&'*+`|~]+$/, klass = /[/#']/g, half = 4 / 2;
                """);
        List<String> names = PRIVATE_NAME.matcher(code).results().map(result -> result.group()).toList();
        assertEquals(List.of("#x", "#x"), names);
        assertTrue(code.contains("class A"), code);
    }

    private static String read(String file) throws IOException {
        try (InputStream in = RuntimeScripts.class.getResourceAsStream("/dev/mooring/runtime/js/" + file)) {
            assertTrue(in != null, "missing runtime file " + file);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Blanks out comments, string literals and regular expression literals, keeping line breaks so
     * that line numbers stay right. A slash starts a regular expression where an operand is
     * expected, which is enough for the runtime's own code.
     */
    private static String withoutCommentsAndStrings(String code) {
        StringBuilder out = new StringBuilder(code.length());
        int i = 0;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '/' && i + 1 < code.length() && code.charAt(i + 1) == '/') {
                int end = code.indexOf('\n', i);
                i = end < 0 ? code.length() : end;
            } else if (c == '/' && i + 1 < code.length() && code.charAt(i + 1) == '*') {
                int end = code.indexOf("*/", i + 2);
                int stop = end < 0 ? code.length() : end + 2;
                blank(code, i, stop, out);
                i = stop;
            } else if (c == '/' && expectsOperand(out)) {
                int stop = endOfRegularExpression(code, i);
                blank(code, i, stop, out);
                i = stop;
            } else if (c == '\'' || c == '"' || c == '`') {
                int stop = i + 1;
                while (stop < code.length() && code.charAt(stop) != c) {
                    stop += code.charAt(stop) == '\\' ? 2 : 1;
                }
                stop = Math.min(code.length(), stop + 1);
                blank(code, i, stop, out);
                i = stop;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static boolean expectsOperand(StringBuilder before) {
        for (int i = before.length() - 1; i >= 0; i--) {
            char c = before.charAt(i);
            if (!Character.isWhitespace(c)) {
                return "(,=:[!&|?{};".indexOf(c) >= 0;
            }
        }
        return true;
    }

    private static int endOfRegularExpression(String code, int start) {
        boolean inClass = false;
        int i = start + 1;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '\\') {
                i += 2;
                continue;
            }
            if (c == '[') {
                inClass = true;
            } else if (c == ']') {
                inClass = false;
            } else if (c == '/' && !inClass) {
                return i + 1;
            }
            i++;
        }
        return code.length();
    }

    private static void blank(String code, int start, int end, StringBuilder out) {
        for (int i = start; i < end; i++) {
            out.append(code.charAt(i) == '\n' ? '\n' : ' ');
        }
    }

    private static int lineOf(String code, int index) {
        return (int) code.substring(0, index).chars().filter(c -> c == '\n').count() + 1;
    }
}
