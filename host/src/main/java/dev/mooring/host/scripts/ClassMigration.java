package dev.mooring.host.scripts;

import dev.mooring.host.project.DurableObjectBinding;
import dev.mooring.host.project.Migration;
import dev.mooring.host.project.StorageKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Works out the classes of a new version from the deployed version's classes and the upload's
 * migration steps, as Cloudflare applies them: in each step deletions first, then renames, then
 * creations. A rename keeps the class's namespace key and so its objects; a deletion schedules
 * its namespace's data for deletion. A bound class that no migration created is created with the
 * key-value backend and a warning, so uploads from before migrations existed still deploy.
 *
 * <p>Pure: it reads and writes nothing but its result.
 */
final class ClassMigration {

    /**
     * The classes of the new version.
     *
     * @param classes         every class that exists after the steps
     * @param migrationTag    the tag after the steps
     * @param namespaceKeysUsed every key ever used, new ones included
     * @param deletedKeys     the namespaces of the classes the steps deleted
     * @param warnings        what the caller should hear about
     */
    record Result(Map<String, DeployedClass> classes, String migrationTag, Set<String> namespaceKeysUsed,
            List<String> deletedKeys, List<String> warnings) {}

    private final String scriptName;
    private final int versionNumber;
    private final Map<String, DeployedClass> classes = new LinkedHashMap<>();
    private final Set<String> keysUsed = new LinkedHashSet<>();
    private final List<String> deletedKeys = new ArrayList<>();
    private final Set<String> deletedNames = new LinkedHashSet<>();
    private final List<String> warnings = new ArrayList<>();

    private ClassMigration(String scriptName, int versionNumber, ScriptVersion previous) {
        this.scriptName = scriptName;
        this.versionNumber = versionNumber;
        if (previous != null) {
            classes.putAll(previous.classes());
            keysUsed.addAll(previous.namespaceKeysUsed());
        }
    }

    /**
     * Applies {@code steps} to the classes of {@code previous} (null for a script's first upload)
     * and checks the bindings against the result.
     *
     * @throws DeployException 409 when the old tag does not match, 400 when a step does not fit the
     *     classes that exist before it or a binding names a deleted class
     */
    static Result apply(String scriptName, int versionNumber, ScriptVersion previous, MigrationSteps steps,
            List<DurableObjectBinding> bindings) throws DeployException {
        Objects.requireNonNull(steps, "steps");
        String currentTag = previous == null ? null : previous.migrationTag();
        if (steps.oldTag() != null && !steps.oldTag().equals(currentTag)) {
            throw new DeployException(409, "metadata.migrations.old_tag is \"" + steps.oldTag() + "\", but script "
                    + scriptName + " is at " + (currentTag == null ? "no migration tag yet" : "tag \"" + currentTag + "\"")
                    + ". Send the migration steps that follow " + (currentTag == null ? "from the start" : "\"" + currentTag + "\"")
                    + " with old_tag " + (currentTag == null ? "left out" : "\"" + currentTag + "\""));
        }
        ClassMigration migration = new ClassMigration(scriptName, versionNumber, previous);
        for (int i = 0; i < steps.steps().size(); i++) {
            migration.applyStep(steps.steps().get(i), "metadata.migrations.steps[" + i + "]");
        }
        migration.checkBindings(bindings);
        String tag = steps.newTag() != null ? steps.newTag() : currentTag;
        return new Result(migration.classes, tag, migration.keysUsed, migration.deletedKeys, migration.warnings);
    }

    private void applyStep(Migration step, String path) throws DeployException {
        for (String className : step.deletedClasses()) {
            DeployedClass deleted = classes.remove(className);
            if (deleted == null) {
                throw new DeployException(400, path + ".deleted_classes lists \"" + className
                        + "\", which does not exist at that point. Existing classes: " + classes.keySet()
                        + ". Remove it from the list");
            }
            deletedKeys.add(deleted.namespaceKey());
            deletedNames.add(className);
        }
        for (Migration.RenamedClass rename : step.renamedClasses()) {
            DeployedClass renamed = classes.get(rename.from());
            if (renamed == null) {
                throw new DeployException(400, path + ".renamed_classes renames \"" + rename.from()
                        + "\", which does not exist at that point. Existing classes: " + classes.keySet());
            }
            if (classes.containsKey(rename.to())) {
                throw new DeployException(400, path + ".renamed_classes renames \"" + rename.from() + "\" to \""
                        + rename.to() + "\", but a class of that name already exists; choose a name no class has");
            }
            classes.remove(rename.from());
            classes.put(rename.to(), renamed);
        }
        create(step.newClasses(), StorageKind.KEY_VALUE, path + ".new_classes");
        create(step.newSqliteClasses(), StorageKind.SQLITE, path + ".new_sqlite_classes");
    }

    private void create(List<String> classNames, StorageKind storage, String path) throws DeployException {
        for (String className : classNames) {
            if (classes.containsKey(className)) {
                throw new DeployException(400, path + " lists \"" + className + "\", which already exists in script "
                        + scriptName + ". Migration steps that were already applied must not be sent again; send only"
                        + " the steps after the current tag");
            }
            classes.put(className, new DeployedClass(storage, newKey(className)));
        }
    }

    private void checkBindings(List<DurableObjectBinding> bindings) throws DeployException {
        for (int i = 0; i < bindings.size(); i++) {
            DurableObjectBinding binding = bindings.get(i);
            if (classes.containsKey(binding.className())) {
                continue;
            }
            if (deletedNames.contains(binding.className())) {
                throw new DeployException(400, "Binding " + binding.bindingName() + " names class "
                        + binding.className() + ", which this upload's migration deletes; bind a class that exists"
                        + " after the migration, or remove the binding");
            }
            warnings.add("Class " + binding.className() + " of binding " + binding.bindingName() + " is created by no"
                    + " migration; Mooring creates it with the key-value backend. Add a migration with new_classes or"
                    + " new_sqlite_classes to choose the backend, as Cloudflare requires");
            classes.put(binding.className(), new DeployedClass(StorageKind.KEY_VALUE, newKey(binding.className())));
        }
    }

    /** The key for a class created now: the plain key, or one tagged with the version if that was ever used. */
    private String newKey(String className) {
        String plain = scriptName + "-" + className;
        String key = keysUsed.contains(plain) ? plain + "@v" + versionNumber : plain;
        keysUsed.add(key);
        return key;
    }
}
