package dev.mooring.host.project;

import java.util.Set;

/** Checks names that guest code reaches as variables, such as binding names. */
public final class JsIdentifiers {

    // ECMAScript reserved words, plus the words reserved in strict mode and module code, which is
    // where Worker code runs.
    private static final Set<String> RESERVED_WORDS = Set.of(
            "await", "break", "case", "catch", "class", "const", "continue", "debugger", "default",
            "delete", "do", "else", "enum", "export", "extends", "false", "finally", "for", "function",
            "if", "implements", "import", "in", "instanceof", "interface", "let", "new", "null",
            "package", "private", "protected", "public", "return", "static", "super", "switch", "this",
            "throw", "true", "try", "typeof", "var", "void", "while", "with", "yield");

    private static final int ZERO_WIDTH_NON_JOINER = 0x200C;
    private static final int ZERO_WIDTH_JOINER = 0x200D;

    private JsIdentifiers() {
    }

    /**
     * Returns whether {@code name} can be used as a variable name in module code: an identifier
     * that is not a reserved word.
     *
     * <p>NOTE: Java's Unicode identifier classes stand in for ECMAScript's ID_Start and
     * ID_Continue. They agree on ASCII and almost all other letters, but not on every code point.
     */
    public static boolean isValid(String name) {
        if (name.isEmpty() || RESERVED_WORDS.contains(name)) {
            return false;
        }
        int first = name.codePointAt(0);
        if (!isStart(first)) {
            return false;
        }
        for (int i = Character.charCount(first); i < name.length(); ) {
            int codePoint = name.codePointAt(i);
            if (!isPart(codePoint)) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }

    /** Returns a valid identifier close to {@code name}, for error messages. */
    public static String suggest(String name) {
        String replaced = name.replaceAll("[^A-Za-z0-9_$]", "_");
        if (replaced.isEmpty() || Character.isDigit(replaced.charAt(0)) || RESERVED_WORDS.contains(replaced)) {
            replaced = "_" + replaced;
        }
        return replaced;
    }

    private static boolean isStart(int codePoint) {
        return codePoint == '$' || codePoint == '_' || Character.isUnicodeIdentifierStart(codePoint);
    }

    private static boolean isPart(int codePoint) {
        if (codePoint == '$' || codePoint == ZERO_WIDTH_NON_JOINER || codePoint == ZERO_WIDTH_JOINER) {
            return true;
        }
        return Character.isUnicodeIdentifierPart(codePoint) && !Character.isIdentifierIgnorable(codePoint);
    }
}
