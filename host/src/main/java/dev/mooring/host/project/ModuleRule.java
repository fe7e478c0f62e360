package dev.mooring.host.project;

import dev.mooring.sandbox.ModuleBundle.ModuleType;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One module rule, as in wrangler's {@code [[rules]]}: a file whose path relative to the module root
 * matches one of the globs becomes a module of the rule's type.
 *
 * <p>Globs follow wrangler, which compiles them with the {@code glob-to-regexp} package in globstar
 * mode: a glob must match the whole path; {@code *} matches within one path segment; {@code **} as a
 * whole segment matches zero or more segments, so <code>**&#47;*.js</code> also matches
 * {@code worker.js} in the module root. Every other character, {@code ?}, {@code [} and
 * <code>{</code> included, matches itself.
 */
final class ModuleRule {

    /** The rule types wrangler accepts in a configuration file, by their configuration names. */
    enum Type {
        ES_MODULE("ESModule", ModuleType.ES_MODULE),
        COMMON_JS("CommonJS", null),
        COMPILED_WASM("CompiledWasm", null),
        TEXT("Text", ModuleType.TEXT),
        DATA("Data", ModuleType.DATA);

        final String configName;
        /** The bundle's module type, or null for a type that Mooring rejects. */
        final ModuleType moduleType;

        Type(String configName, ModuleType moduleType) {
            this.configName = configName;
            this.moduleType = moduleType;
        }

        /** Returns the type named {@code configName} in a configuration file, or null if there is none. */
        static Type fromConfigName(String configName) {
            for (Type type : values()) {
                if (type.configName.equals(configName)) {
                    return type;
                }
            }
            return null;
        }

        static String configNames() {
            return java.util.Arrays.stream(values()).map(type -> type.configName).collect(Collectors.joining(", "));
        }
    }

    private final Type type;
    private final List<String> globs;
    private final Boolean fallthrough;
    private final boolean isDefault;
    private final List<Pattern> patterns;

    /**
     * @param fallthrough true or false as set in the file, or null when it is not set: wrangler warns
     *                    about rules that an unset fallthrough shadows, and not about a false one
     * @param isDefault   whether the rule is one of the defaults that follow the user's rules
     */
    ModuleRule(Type type, List<String> globs, Boolean fallthrough, boolean isDefault) {
        this.type = Objects.requireNonNull(type, "type");
        this.globs = List.copyOf(globs);
        this.fallthrough = fallthrough;
        this.isDefault = isDefault;
        this.patterns = this.globs.stream().map(ModuleRule::compileGlob).toList();
    }

    Type type() {
        return type;
    }

    /** Returns whether later rules of the same type still apply after this one. */
    boolean fallsThrough() {
        return Boolean.TRUE.equals(fallthrough);
    }

    /** Returns whether fallthrough is absent from the file, as opposed to set to false. */
    boolean fallthroughUnset() {
        return fallthrough == null;
    }

    boolean isDefault() {
        return isDefault;
    }

    /** Returns whether {@code path}, relative to the module root and '/'-separated, matches a glob. */
    boolean matches(String path) {
        for (Pattern pattern : patterns) {
            if (pattern.matcher(path).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Describes the rule for messages: its type, its globs and whether it is a default rule. */
    String describe() {
        String globList = globs.stream().map(glob -> '"' + glob + '"').collect(Collectors.joining(", ", "[", "]"));
        return type.configName + " rule " + globList + (isDefault ? " (default)" : "");
    }

    /** Compiles a glob to a regular expression over '/'-separated relative paths. */
    static Pattern compileGlob(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (c != '*') {
                literal.append(c);
                i++;
                continue;
            }
            if (!literal.isEmpty()) {
                regex.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
            }
            int runEnd = i;
            while (runEnd < glob.length() && glob.charAt(runEnd) == '*') {
                runEnd++;
            }
            boolean segmentStart = i == 0 || glob.charAt(i - 1) == '/';
            boolean segmentEnd = runEnd == glob.length() || glob.charAt(runEnd) == '/';
            if (runEnd - i > 1 && segmentStart && segmentEnd) {
                // A globstar segment: any number of whole segments, each with its trailing slash.
                regex.append("(?:[^/]*(?:/|$))*");
                i = runEnd < glob.length() ? runEnd + 1 : runEnd;
            } else {
                regex.append("[^/]*");
                i = runEnd;
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString());
    }
}
