package dev.mooring.host.project;

import dev.mooring.sandbox.ModuleBundle;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the host needs to run one version of a script, whatever it came from: a wrangler project
 * on disk ({@link Project#definition()}) or an upload through the admin API. Immutable; the module
 * content inside {@link #bundle()} must not be modified.
 *
 * @param name                  the script's name
 * @param compatibilityDate     the compatibility date, or null when none was given
 * @param vars                  plain-text and JSON variables, as {@link Project#vars()} describes them
 * @param durableObjectBindings the namespace bindings, in declaration order
 * @param classStorageKinds     every class that exists after the migrations, with its storage backend
 * @param bundle                the modules, with the main module marked
 * @param moduleRootPrefix      prefixed to a module name in stack traces and errors so the author
 *                              recognizes the path, such as {@code "src/"}; empty for uploads
 */
public record ScriptDefinition(
        String name,
        LocalDate compatibilityDate,
        Map<String, Object> vars,
        List<DurableObjectBinding> durableObjectBindings,
        Map<String, StorageKind> classStorageKinds,
        ModuleBundle bundle,
        String moduleRootPrefix) {

    public ScriptDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bundle, "bundle");
        Objects.requireNonNull(moduleRootPrefix, "moduleRootPrefix");
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
        durableObjectBindings = List.copyOf(durableObjectBindings);
        classStorageKinds = Collections.unmodifiableMap(new LinkedHashMap<>(classStorageKinds));
    }

    /** Returns the storage backend of {@code className}, or null if no such class exists. */
    public StorageKind storageKindOf(String className) {
        return classStorageKinds.get(className);
    }
}
