package dev.mooring.host.project;

import java.text.Normalizer;
import java.util.Locale;
import java.util.Objects;

/** Derives Worker script names that are safe in URLs, host names and file names. */
public final class ScriptNames {

    /**
     * Maximum length of a derived name, in characters: 63, the longest DNS label, so that a name
     * can serve as a host name label such as {@code NAME.example.com}.
     */
    public static final int MAX_LENGTH = 63;

    /** The name used when nothing of a directory name survives, the same default as wrangler's. */
    public static final String FALLBACK = "worker";

    private ScriptNames() {
    }

    /**
     * Derives a script name from a directory name: letters lose their accents and become lowercase,
     * every run of other characters becomes one {@code -}, leading and trailing dashes are dropped,
     * and the result is cut to {@link #MAX_LENGTH}. {@code "My Chat_App (v2)"} becomes
     * {@code "my-chat-app-v2"}. Returns {@link #FALLBACK} when no letter or digit remains.
     */
    public static String fromDirectoryName(String directoryName) {
        Objects.requireNonNull(directoryName, "directoryName");
        String decomposed = Normalizer.normalize(directoryName, Normalizer.Form.NFKD)
                .replaceAll("\\p{M}", "")
                .toLowerCase(Locale.ROOT);
        String dashed = decomposed.replaceAll("[^a-z0-9]+", "-");
        String trimmed = stripDashes(dashed);
        if (trimmed.length() > MAX_LENGTH) {
            trimmed = stripDashes(trimmed.substring(0, MAX_LENGTH));
        }
        return trimmed.isEmpty() ? FALLBACK : trimmed;
    }

    private static String stripDashes(String name) {
        int start = 0;
        int end = name.length();
        while (start < end && name.charAt(start) == '-') {
            start++;
        }
        while (end > start && name.charAt(end - 1) == '-') {
            end--;
        }
        return name.substring(start, end);
    }
}
