package dev.mooring.host.scripts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.host.deploy.DeployedClasses;
import dev.mooring.host.deploy.MigrationResult;
import dev.mooring.host.project.ScriptDefinition;
import dev.mooring.host.project.StorageKind;
import dev.mooring.sandbox.ModuleBundle;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether an upload would run exactly what the serving version runs, so that the registry
 * can keep that version instead of replacing it and resetting its objects.
 *
 * <p>Two versions are the same when all of these are equal:
 * <ul>
 *   <li>the main module, the set of module names, and each module's type and bytes;
 *   <li>the compatibility date;
 *   <li>the vars, in order and with equal values;
 *   <li>the Durable Object bindings, in order;
 *   <li>the migration tag and classes after the upload's migrations, which must change no class.
 * </ul>
 * Module order does not count, because the sandbox looks modules up by name. Vars are compared as
 * JSON text, so a number read back from the archive as an {@code Integer} equals the {@code Long}
 * that an upload produces.
 *
 * <p>NOTE: {@code compatibility_flags} and metadata keys that Mooring ignores are not compared,
 * because no version stores them and nothing in Mooring acts on them. Once something does, the
 * version must store them and this class must compare them.
 */
final class VersionComparison {

    private static final ObjectMapper JSON = new ObjectMapper();

    private VersionComparison() {}

    /**
     * Returns the first difference between the serving version and an upload, in words, or empty
     * when the upload would run the same script.
     *
     * @param next      the upload's definition, built from {@code migration}'s classes
     * @param migration the upload's migrations applied to {@code serving}'s classes
     */
    static Optional<String> firstDifference(ScriptVersion serving, ScriptDefinition next, MigrationResult migration) {
        if (!migration.changes().isEmpty()) {
            return Optional.of("its migrations change " + migration.changes().size() + " class(es)");
        }
        if (!Objects.equals(migration.classes(), classesOf(serving))) {
            return Optional.of("the migration tag or classes differ");
        }
        ScriptDefinition current = serving.definition();
        if (!current.name().equals(next.name())) {
            return Optional.of("the script name differs");
        }
        if (!current.moduleRootPrefix().equals(next.moduleRootPrefix())) {
            return Optional.of("the module root prefix differs");
        }
        if (!Objects.equals(current.compatibilityDate(), next.compatibilityDate())) {
            return Optional.of("the compatibility date differs");
        }
        if (!current.durableObjectBindings().equals(next.durableObjectBindings())) {
            return Optional.of("the Durable Object bindings differ");
        }
        if (!varsText(current.vars()).equals(varsText(next.vars()))) {
            return Optional.of("the vars differ");
        }
        return moduleDifference(current.bundle(), next.bundle());
    }

    private static Optional<String> moduleDifference(ModuleBundle current, ModuleBundle next) {
        if (!current.mainModule().equals(next.mainModule())) {
            return Optional.of("the main module differs");
        }
        if (!current.modules().keySet().equals(next.modules().keySet())) {
            return Optional.of("the module names differ");
        }
        for (ModuleBundle.Module module : current.modules().values()) {
            ModuleBundle.Module other = next.modules().get(module.name());
            if (module.type() != other.type()) {
                return Optional.of("the type of module " + module.name() + " differs");
            }
            if (!Arrays.equals(module.content(), other.content())) {
                return Optional.of("the content of module " + module.name() + " differs");
            }
        }
        return Optional.empty();
    }

    /** The classes of a version as an upload's migrations start from them. */
    static DeployedClasses classesOf(ScriptVersion version) {
        Map<String, StorageKind> kinds = new LinkedHashMap<>();
        version.classes().forEach((name, deployed) -> kinds.put(name, deployed.storage()));
        return new DeployedClasses(version.migrationTag(), kinds);
    }

    private static String varsText(Map<String, Object> vars) {
        try {
            return JSON.writeValueAsString(vars);
        } catch (JsonProcessingException e) {
            // Vars hold only strings, numbers, booleans, nulls, lists and maps, which always serialize.
            throw new IllegalStateException("Writing vars as JSON failed", e);
        }
    }
}
