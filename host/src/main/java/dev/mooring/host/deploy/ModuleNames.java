package dev.mooring.host.deploy;

import java.nio.charset.StandardCharsets;

/** Checks module names from uploads before they reach {@link dev.mooring.sandbox.ModuleBundle}. */
final class ModuleNames {

    private static final int MAX_QUOTED_CHARACTERS = 100;

    private ModuleNames() {
    }

    /**
     * Returns what is wrong with {@code name} as a module name, as the end of a sentence that
     * starts with the name, or null when it is valid: a relative POSIX path of at most
     * {@link UploadLimits#MAX_MODULE_NAME_BYTES} UTF-8 bytes, without control characters,
     * backslashes, or empty, {@code .} and {@code ..} segments.
     */
    static String problem(String name) {
        if (name.isEmpty()) {
            return "is empty";
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > UploadLimits.MAX_MODULE_NAME_BYTES) {
            return "is " + bytes + " bytes long in UTF-8, more than the maximum of " + UploadLimits.MAX_MODULE_NAME_BYTES;
        }
        for (int i = 0; i < name.length(); ) {
            int codePoint = name.codePointAt(i);
            if (Character.isISOControl(codePoint)) {
                return "contains the control character " + MultipartForm.describeCharacter(codePoint)
                        + " at position " + (i + 1);
            }
            i += Character.charCount(codePoint);
        }
        if (name.startsWith("/")) {
            return "is an absolute path";
        }
        if (name.indexOf('\\') >= 0) {
            return "contains a backslash, but module names separate folders with \"/\"";
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty()) {
                return "has an empty path segment (a trailing or doubled \"/\")";
            }
            if (segment.equals(".") || segment.equals("..")) {
                return "has a \"" + segment + "\" segment";
            }
        }
        return null;
    }

    /**
     * Returns {@code name} in quotes for a message, with each control character shown as its code
     * point, such as {@code <U+0001>}, and cut after {@value #MAX_QUOTED_CHARACTERS} characters.
     */
    static String quote(String name) {
        StringBuilder quoted = new StringBuilder("\"");
        for (int i = 0; i < name.length() && i < MAX_QUOTED_CHARACTERS; i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c)) {
                quoted.append(String.format("<U+%04X>", (int) c));
            } else {
                quoted.append(c);
            }
        }
        if (name.length() > MAX_QUOTED_CHARACTERS) {
            quoted.append("...");
        }
        return quoted.append('"').toString();
    }
}
