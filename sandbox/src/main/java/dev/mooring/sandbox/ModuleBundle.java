package dev.mooring.sandbox;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The modules of one script version: an immutable map from module name to content, and the name
 * of the main module. Names are relative, slash-separated paths such as {@code src/worker.js}; the
 * sandbox serves them read-only under a virtual root, so imports between them resolve as they do
 * on disk.
 *
 * <p>Construction validates every name, so a bundle that exists is safe to mount: no absolute
 * paths, no {@code .} or {@code ..} segments, no empty segments, no backslashes or NUL characters.
 */
public record ModuleBundle(String mainModule, Map<String, Module> modules) {

    /** How a module's content becomes a JS module, following wrangler's module rule types. */
    public enum ModuleType {
        /** JavaScript source evaluated as an ES module. */
        ES_MODULE,
        /** UTF-8 text whose default export is a string. */
        TEXT,
        /** Bytes whose default export is an {@code ArrayBuffer}. */
        DATA
    }

    /** One module: its name within the bundle, its type and its content. */
    public record Module(String name, ModuleType type, byte[] content) {
        public Module {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(content, "content");
            checkName(name);
        }

        /** Returns the content decoded as UTF-8. */
        public String text() {
            return new String(content, StandardCharsets.UTF_8);
        }
    }

    public ModuleBundle {
        checkName(mainModule);
        Map<String, Module> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Module> entry : modules.entrySet()) {
            if (!entry.getKey().equals(entry.getValue().name())) {
                throw new IllegalArgumentException(
                        "Module key " + entry.getKey() + " differs from the module's name " + entry.getValue().name());
            }
            copy.put(entry.getKey(), entry.getValue());
        }
        Module main = copy.get(mainModule);
        if (main == null) {
            throw new IllegalArgumentException("The main module " + mainModule + " is not among the modules " + copy.keySet());
        }
        if (main.type() != ModuleType.ES_MODULE) {
            throw new IllegalArgumentException("The main module " + mainModule + " must be an ES module, not " + main.type());
        }
        modules = Collections.unmodifiableMap(copy);
    }

    /**
     * Checks that {@code name} is a relative, normalized, slash-separated module path.
     *
     * @throws IllegalArgumentException naming the module and the rule it breaks
     */
    public static void checkName(String name) {
        Objects.requireNonNull(name, "module name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("Module name is empty");
        }
        if (name.startsWith("/")) {
            throw new IllegalArgumentException("Module name " + name + " is absolute; use a path relative to the project");
        }
        if (name.indexOf('\\') >= 0 || name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("Module name " + name + " contains a backslash or NUL character");
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new IllegalArgumentException(
                        "Module name " + name + " has an empty, '.' or '..' segment; use a normalized relative path");
            }
        }
    }
}
