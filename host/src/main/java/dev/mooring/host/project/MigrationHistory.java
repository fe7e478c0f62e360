package dev.mooring.host.project;

import dev.mooring.host.config.Spelling;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Applies a project's migrations in file order and checks every step against the classes that
 * exist at that point. A class is created once. A rename moves an existing class to a free name and
 * keeps its storage backend. A deleted class is gone. Within one migration, deletions come first,
 * then renames, then creations, the order wrangler dev applies them in
 * ({@code packages/wrangler/src/dev/class-names-sqlite.ts}, wrangler 4.125).
 *
 * <p>Mooring is stricter than wrangler dev in two places: a class may not be both created and
 * deleted in one migration, and a rename may not target a class that exists.
 *
 * <p>The result maps every class that exists at the end to its storage backend. A bound class that
 * no migration creates gets a warning and the key-value backend, which wrangler dev also gives it;
 * Cloudflare rejects such a deploy.
 */
public final class MigrationHistory {

    private final String fileName;
    private final Map<String, StorageKind> existing = new LinkedHashMap<>();
    // How each existing class came to exist, and what ended each class that no longer exists,
    // for error messages.
    private final Map<String, String> origins = new HashMap<>();
    private final Map<String, String> fates = new HashMap<>();

    private MigrationHistory(String fileName) {
        this.fileName = fileName;
    }

    /**
     * Returns the classes that exist after {@code migrations} with their storage backends, bound
     * classes without a migration included.
     *
     * @throws ProjectException when a step does not fit the classes that exist before it, or a
     *                          binding names a class that a migration deleted or renamed
     */
    static Map<String, StorageKind> apply(String fileName, List<Migration> migrations,
            List<DurableObjectBinding> bindings, Consumer<String> warnings) throws ProjectException {
        MigrationHistory history = new MigrationHistory(fileName);
        for (int i = 0; i < migrations.size(); i++) {
            history.apply(migrations.get(i), "migrations[" + i + "]");
        }
        history.checkBindings(bindings, warnings);
        return history.existing;
    }

    /**
     * Applies the migration steps of an upload on top of the classes of the version it replaces,
     * with the same checks as for a configuration file. Bindings are not checked.
     *
     * @param source    names the input at the start of messages, such as {@code "metadata"}
     * @param existing  the classes that exist before the first step, with their storage backends
     * @param steps     the steps, in the order they apply
     * @param stepPaths the key of each step for messages, such as {@code "migrations.steps[0]"}
     * @return the classes that exist after the last step, with their storage backends
     * @throws ProjectException when a step does not fit the classes that exist before it
     */
    public static Map<String, StorageKind> applySteps(String source, Map<String, StorageKind> existing,
            List<Migration> steps, List<String> stepPaths) throws ProjectException {
        if (steps.size() != stepPaths.size()) {
            throw new IllegalArgumentException(steps.size() + " steps but " + stepPaths.size() + " step paths");
        }
        MigrationHistory history = new MigrationHistory(source);
        existing.forEach((className, kind) -> {
            history.existing.put(className, kind);
            history.origins.put(className, "the deployed version has it");
        });
        for (int i = 0; i < steps.size(); i++) {
            history.apply(steps.get(i), stepPaths.get(i));
        }
        return new LinkedHashMap<>(history.existing);
    }

    private void apply(Migration migration, String path) throws ProjectException {
        checkCreatedOnce(migration, path);
        delete(migration, path + ".deleted_classes");
        rename(migration, path + ".renamed_classes");
        create(migration, migration.newClasses(), StorageKind.KEY_VALUE, path + ".new_classes");
        create(migration, migration.newSqliteClasses(), StorageKind.SQLITE, path + ".new_sqlite_classes");
    }

    private void checkCreatedOnce(Migration migration, String path) throws ProjectException {
        for (String className : migration.newSqliteClasses()) {
            if (migration.newClasses().contains(className)) {
                throw error(path + ".new_sqlite_classes", className, "which " + path + ".new_classes also lists; "
                        + "a class has one storage backend, so keep it in new_sqlite_classes or in new_classes");
            }
        }
        for (String className : migration.deletedClasses()) {
            if (migration.newClasses().contains(className) || migration.newSqliteClasses().contains(className)) {
                throw error(path + ".deleted_classes", className, "which the same migration creates; a class "
                        + "cannot be created and deleted in one migration. To replace a class, delete it in one "
                        + "migration and create it again in a later one");
            }
        }
    }

    private void delete(Migration migration, String path) throws ProjectException {
        for (String className : migration.deletedClasses()) {
            if (existing.remove(className) == null) {
                throw error(path, className, "which does not exist at that point: no earlier migration creates it, "
                        + "or one already deleted or renamed it. Remove it from the list");
            }
            origins.remove(className);
            fates.put(className, "migration \"" + migration.tag() + "\" deletes it");
        }
    }

    private void rename(Migration migration, String path) throws ProjectException {
        for (Migration.RenamedClass rename : migration.renamedClasses()) {
            StorageKind kind = existing.get(rename.from());
            if (kind == null) {
                throw error(path, "renames", rename.from(), "which does not exist at that point: no earlier "
                        + "migration creates it, or one deleted or renamed it. Rename only a class that exists");
            }
            if (existing.containsKey(rename.to())) {
                throw new ProjectException(fileName + ": key \"" + path + "\" renames \"" + rename.from() + "\" to \""
                        + rename.to() + "\", but a class \"" + rename.to() + "\" already exists ("
                        + origins.get(rename.to()) + "); choose a new name that no other class has");
            }
            existing.remove(rename.from());
            origins.remove(rename.from());
            existing.put(rename.to(), kind);
            origins.put(rename.to(), "migration \"" + migration.tag() + "\" renames \"" + rename.from() + "\" to it");
            fates.remove(rename.to());
            fates.put(rename.from(), "migration \"" + migration.tag() + "\" renames it to \"" + rename.to() + "\"");
        }
    }

    private void create(Migration migration, List<String> classNames, StorageKind kind, String path)
            throws ProjectException {
        for (String className : classNames) {
            if (existing.containsKey(className)) {
                throw error(path, className, "which already exists (" + origins.get(className) + "); list each "
                        + "class once, or delete it in an earlier migration first");
            }
            existing.put(className, kind);
            origins.put(className, "migration \"" + migration.tag() + "\" creates it");
            fates.remove(className);
        }
    }

    private void checkBindings(List<DurableObjectBinding> bindings, Consumer<String> warnings) throws ProjectException {
        for (int i = 0; i < bindings.size(); i++) {
            DurableObjectBinding binding = bindings.get(i);
            String className = binding.className();
            if (existing.containsKey(className)) {
                continue;
            }
            String fate = fates.get(className);
            String path = "durable_objects.bindings[" + i + "].class_name";
            if (fate != null) {
                throw error(path, "names", className, "but " + fate + "; bind a class that exists after the last "
                        + "migration, or remove the binding");
            }
            List<String> closest = Spelling.closest(className, existing.keySet());
            String typo = closest.isEmpty() ? "" : " Did you mean " + String.join(" or ", closest.stream()
                    .map(name -> "\"" + name + "\" (" + origins.get(name) + ")").toList()) + "?";
            warnings.accept(fileName + ": class \"" + className + "\" of durable object binding \""
                    + binding.bindingName() + "\" is not created by any migration, which Cloudflare requires." + typo
                    + " To create it, add it to a migration, e.g. new_sqlite_classes = [\"" + className + "\"]"
                    + " (Mooring serves the key-value storage API for such a class, not the SQL API). mooring dev uses the"
                    + " key-value backend for it meanwhile. mooring deploy fails for it, as Cloudflare does, unless an"
                    + " earlier deploy of the script created the class");
            existing.put(className, StorageKind.KEY_VALUE);
            origins.put(className, "durable_objects.bindings[" + i + "] binds it without a migration");
        }
    }

    private ProjectException error(String path, String className, String explanation) {
        return error(path, "lists", className, explanation);
    }

    private ProjectException error(String path, String verb, String className, String explanation) {
        return new ProjectException(
                fileName + ": key \"" + path + "\" " + verb + " \"" + className + "\", " + explanation);
    }
}
