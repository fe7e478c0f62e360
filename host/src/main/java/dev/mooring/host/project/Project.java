package dev.mooring.host.project;

import dev.mooring.sandbox.ModuleBundle;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A wrangler-style project, loaded and checked by {@link ProjectLoader}: everything the host needs
 * to run its Worker and Durable Object classes. The value is immutable and safe to share between
 * threads; the one exception is the module content inside {@link #bundle()}, whose byte arrays
 * callers must not modify.
 *
 * @param name                  the Worker's name, from {@code name} or derived from the directory
 * @param directory             the project directory, as a real path
 * @param configFile            the configuration file that was read
 * @param compatibilityDate     {@code compatibility_date}, or null when the file sets none
 * @param compatibilityFlags    {@code compatibility_flags}, kept for the host; the loader does not act on them
 * @param vars                  {@code [vars]} in file order. A value is a {@code String}, {@code Boolean},
 *                              {@code Long}, {@code BigInteger} (an integer beyond the range of long),
 *                              {@code Double}, null, an unmodifiable {@code List} or an unmodifiable
 *                              {@code Map<String, Object>} of these. Strings become JS strings and everything
 *                              else a JSON value, as in wrangler.
 * @param durableObjectBindings {@code [durable_objects] bindings} in file order
 * @param migrations            {@code [[migrations]]} in file order
 * @param classStorageKinds     every class that exists after applying the migrations in order, with
 *                              its storage backend. A bound class that no migration creates is listed as
 *                              {@link StorageKind#KEY_VALUE}, as in wrangler dev.
 * @param moduleRoot            the folder that module names are relative to: {@code base_dir}, or the
 *                              folder of the main module
 * @param bundle                the main module and every module that a module rule matched
 * @param warnings              every warning given while loading, in order
 */
public record Project(
        String name,
        Path directory,
        Path configFile,
        LocalDate compatibilityDate,
        List<String> compatibilityFlags,
        Map<String, Object> vars,
        List<DurableObjectBinding> durableObjectBindings,
        List<Migration> migrations,
        Map<String, StorageKind> classStorageKinds,
        Path moduleRoot,
        ModuleBundle bundle,
        List<String> warnings) {

    public Project {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(configFile, "configFile");
        Objects.requireNonNull(moduleRoot, "moduleRoot");
        Objects.requireNonNull(bundle, "bundle");
        compatibilityFlags = List.copyOf(compatibilityFlags);
        vars = immutableMap(vars);
        durableObjectBindings = List.copyOf(durableObjectBindings);
        migrations = List.copyOf(migrations);
        classStorageKinds = Collections.unmodifiableMap(new LinkedHashMap<>(classStorageKinds));
        warnings = List.copyOf(warnings);
    }

    /**
     * Returns the module root relative to the project directory, ending in "/" unless empty, such
     * as {@code "src/"}: prefixed to a module name, it gives the path the author knows.
     */
    public String moduleRootPrefix() {
        String relative = directory.relativize(moduleRoot).toString().replace('\\', '/');
        return relative.isEmpty() ? "" : relative + "/";
    }

    /** Returns the storage backend of {@code className}, or null if no such class exists. */
    public StorageKind storageKindOf(String className) {
        return classStorageKinds.get(className);
    }

    /** Returns this project with {@code newVars} in place of its vars. */
    public Project withVars(Map<String, Object> newVars) {
        return new Project(name, directory, configFile, compatibilityDate, compatibilityFlags, newVars, durableObjectBindings,
                migrations, classStorageKinds, moduleRoot, bundle, warnings);
    }

    /** Returns what the host runs of this project. */
    public ScriptDefinition definition() {
        return new ScriptDefinition(name, compatibilityDate, vars, durableObjectBindings, classStorageKinds, bundle,
                moduleRootPrefix());
    }

    // Var values may be null, which List.copyOf and Map.copyOf reject, so nested values are copied by hand.
    private static Map<String, Object> immutableMap(Map<String, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((key, value) -> copy.put(key, immutableValue(value)));
        return Collections.unmodifiableMap(copy);
    }

    @SuppressWarnings("unchecked")
    private static Object immutableValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            return immutableMap((Map<String, ?>) map);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(element -> copy.add(immutableValue(element)));
            return Collections.unmodifiableList(copy);
        }
        return value;
    }
}
