package dev.mooring.host.scripts;

import dev.mooring.host.deploy.ClassChange;
import dev.mooring.host.deploy.MigrationResult;
import dev.mooring.host.project.StorageKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Carries each class's storage namespace key from one version of a script to the next, through
 * the class changes of the upload's migrations. A renamed class keeps its key, and so its objects'
 * IDs and data; a deleted class's key is handed back for deletion; a created class gets a key no
 * class of the script ever had, so it never meets an older class's data.
 *
 * <p>Pure: it reads and writes nothing but its result.
 */
final class NamespaceKeys {

    /**
     * @param classes     every class of the new version, with its backend and key
     * @param keysUsed    every key the script's classes ever had, the new ones included
     * @param deletedKeys the keys of the classes the migrations deleted
     */
    record Result(Map<String, DeployedClass> classes, Set<String> keysUsed, List<String> deletedKeys) {}

    private NamespaceKeys() {}

    /**
     * @param previous the serving version, or null for a script's first version
     * @param migration what the upload's migrations did to the previous version's classes
     */
    static Result apply(String scriptName, int versionNumber, ScriptVersion previous, MigrationResult migration) {
        Map<String, String> keys = new LinkedHashMap<>();
        Set<String> used = new LinkedHashSet<>();
        if (previous != null) {
            previous.classes().forEach((name, deployed) -> keys.put(name, deployed.namespaceKey()));
            used.addAll(previous.namespaceKeysUsed());
        }
        List<String> deleted = new ArrayList<>();

        for (ClassChange change : migration.changes()) {
            switch (change) {
                case ClassChange.Deleted gone -> deleted.add(keys.remove(gone.className()));
                case ClassChange.Renamed renamed -> keys.put(renamed.to(), keys.remove(renamed.from()));
                case ClassChange.Created created -> keys.put(created.className(), newKey(scriptName, created.className(),
                        versionNumber, used));
            }
        }

        Map<String, DeployedClass> classes = new LinkedHashMap<>();
        for (Map.Entry<String, StorageKind> entry : migration.classes().classes().entrySet()) {
            String key = keys.get(entry.getKey());
            if (key == null) {
                throw new IllegalStateException("Class " + entry.getKey() + " of script " + scriptName
                        + " exists after the migrations, but none of their changes gave it a namespace key");
            }
            classes.put(entry.getKey(), new DeployedClass(entry.getValue(), key));
        }
        return new Result(classes, used, deleted);
    }

    /** The plain key {@code SCRIPT-CLASS}, or the same tagged with the version when that key was used before. */
    /**
     * Returns the keys among {@code keys} that {@link #newKey} may have made for a class of script
     * {@code scriptName}: the name, a dash, a JS class name and an optional "@v" and version. Class
     * names have no dash, so the keys of a script named "a" never match those of one named "a-b".
     */
    static List<String> keptBy(String scriptName, List<String> keys) {
        Pattern own = Pattern.compile(Pattern.quote(scriptName) + "-[A-Za-z_$][A-Za-z0-9_$]*(@v[0-9]+)?");
        return keys.stream().filter(key -> own.matcher(key).matches()).toList();
    }

    private static String newKey(String scriptName, String className, int versionNumber, Set<String> used) {
        String plain = scriptName + "-" + className;
        String key = used.contains(plain) ? plain + "@v" + versionNumber : plain;
        used.add(key);
        return key;
    }
}
