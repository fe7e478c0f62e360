package dev.mooring.host.scripts;

import dev.mooring.host.project.ScriptDefinition;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One deployed version of a script, as the archive keeps it. Immutable.
 *
 * @param number              1 for the first upload of a script, then one more per upload
 * @param deployedAt          when the upload was accepted
 * @param definition          the modules, bindings and vars
 * @param classes             every Durable Object class that exists in this version, by name
 * @param migrationTag        the tag of the last migration applied, or null when none ever was
 * @param namespaceKeysUsed   every storage namespace key the script's classes ever had, so a class
 *                            created again after a deletion gets a fresh key and none of the old data
 * @param deletedNamespaceKeys the namespaces whose classes this version's migration deleted; their
 *                            data is deleted once the version serves (again after a restart, if one
 *                            cut that short)
 * @param warnings            what the upload was warned about
 */
public record ScriptVersion(
        int number,
        Instant deployedAt,
        ScriptDefinition definition,
        Map<String, DeployedClass> classes,
        String migrationTag,
        Set<String> namespaceKeysUsed,
        List<String> deletedNamespaceKeys,
        List<String> warnings) {

    public ScriptVersion {
        Objects.requireNonNull(deployedAt, "deployedAt");
        Objects.requireNonNull(definition, "definition");
        classes = Collections.unmodifiableMap(new LinkedHashMap<>(classes));
        namespaceKeysUsed = Collections.unmodifiableSet(new TreeSet<>(namespaceKeysUsed));
        deletedNamespaceKeys = List.copyOf(deletedNamespaceKeys);
        warnings = List.copyOf(warnings);
    }

    /** The script's name. */
    public String scriptName() {
        return definition.name();
    }

    /** Returns the namespace key of {@code className}; the class must exist in this version. */
    public String namespaceKeyOf(String className) {
        DeployedClass deployed = classes.get(className);
        if (deployed == null) {
            throw new IllegalArgumentException("Class " + className + " does not exist in version " + number + " of script "
                    + scriptName() + "; classes: " + classes.keySet());
        }
        return deployed.namespaceKey();
    }
}
