package dev.mooring.host.scripts;

import dev.mooring.host.HostServices;
import dev.mooring.host.config.HostOptions;
import dev.mooring.host.config.Values;
import dev.mooring.host.deploy.DeployedClasses;
import dev.mooring.host.deploy.MigrationResult;
import dev.mooring.host.deploy.ScriptUpload;
import dev.mooring.host.deploy.UploadException;
import dev.mooring.host.objects.ScriptRuntime;
import dev.mooring.host.project.DurableObjectBinding;
import dev.mooring.host.project.ScriptDefinition;
import dev.mooring.sandbox.EventLoop;
import dev.mooring.sandbox.ScriptLoadException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scripts {@code mooring serve} runs: deploys new versions, deletes scripts, and restores them
 * all from the archive when the host starts.
 *
 * <h2>A deploy</h2>
 * The upload's migration steps are applied to the serving version's classes, the new version is
 * loaded on the script's event loops (a syntax error or a binding to a class the main module does
 * not export fails the deploy here, while the old version keeps serving), written to the archive,
 * and then swapped in: new events go to the new version at once, and each object of the old one is
 * reset with {@link #CODE_UPDATED} when its in-flight events are done or the grace period ends.
 * Old guest code that never yields would hold the shared loops, and with them the new version,
 * until the CPU limit. Such code is stopped when the grace period ends, both while the new version
 * loads and after. Storage stays; data of classes a migration deleted goes once the old version is gone. An upload
 * identical to the serving version (see {@link VersionComparison}) changes nothing: that version
 * keeps serving, and its objects keep running.
 *
 * <h2>Threads</h2>
 * Deploys and deletions run on the caller's thread (the admin listener's workers) and block while
 * a version loads. Those of one script are serialized by its lock; different scripts deploy in
 * parallel. {@link #find} never blocks.
 */
public final class ScriptRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScriptRegistry.class);

    /** The reason old objects see when a new version of their script takes over, as on Cloudflare. */
    public static final String CODE_UPDATED = "Durable Object reset because its code was updated.";

    /** The reset reason for old code that still ran when the grace period for loading a new version ended. */
    static final String LOAD_WAITED = "Stopped because the script's code was still running when the grace period for"
            + " loading a new version (" + HostOptions.HANDOVER_GRACE.name() + ") ended.";

    /**
     * The outcome of a deploy.
     *
     * @param version   the number of the version that serves now
     * @param created   whether the deploy created the script
     * @param unchanged whether the upload was identical to the serving version, which therefore
     *                  keeps serving with its objects; {@code version} is then its number
     */
    public record Deployed(String script, int version, boolean created, boolean unchanged,
            Map<String, DeployedClass> classes, String migrationTag, List<String> warnings) {}

    /** One line of a listing. */
    public record Summary(String script, int version, Instant deployedAt, List<DurableObjectBinding> bindings,
            String startFailure) {}

    /** What {@code GET /scripts/{name}} shows. */
    public record Details(Summary summary, ScriptVersion version, List<Integer> versions, int liveObjects) {}

    private final HostServices services;
    private final ScriptArchive archive;
    private final Duration handOverGrace;
    private final Map<String, DeployedScript> scripts = new ConcurrentHashMap<>();

    private ScriptRegistry(HostServices services, Path archiveRoot, Duration handOverGrace) {
        this.services = services;
        this.archive = new ScriptArchive(archiveRoot);
        this.handOverGrace = handOverGrace;
    }

    /**
     * Opens the archive under {@code dataDirectory/scripts} and starts the current version of
     * every script in it. A version that no longer starts is logged and answered with 503 until a
     * new version is deployed; it does not stop the others.
     *
     * @param handOverGrace how long old objects may keep running their in-flight events after a deploy
     */
    public static ScriptRegistry open(HostServices services, Path dataDirectory, Duration handOverGrace) {
        ScriptRegistry registry = new ScriptRegistry(services, dataDirectory.resolve("scripts"), handOverGrace);
        registry.restoreAll();
        return registry;
    }

    private void restoreAll() {
        List<String> names;
        try {
            names = archive.scriptNames();
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the script archive failed: " + e.getMessage(), e);
        }
        for (String name : names) {
            DeployedScript script = new DeployedScript(name);
            scripts.put(name, script);
            try {
                ScriptVersion version = archive.current(name);
                script.version = version;
                script.loops = services.startLoops(name);
                ScriptRuntime runtime = services.newRuntime(version.definition(), script.loops, version::namespaceKeyOf);
                runtime.start();
                script.runtime = runtime;
                runtime.startAlarms();
                deleteNamespaces(version.deletedNamespaceKeys());
                log.info("Restored script {} at version {}", name, version.number());
            } catch (IOException | RuntimeException e) {
                String incident = UUID.randomUUID().toString();
                script.startFailure = "Script " + name + " could not start after the restart (incident " + incident
                        + "). Deploy a new version to replace it.";
                log.error("Restoring script {} failed; it answers 503 until a new version is deployed; incident {}", name,
                        incident, e);
            }
        }
        log.info("Serving {} from the archive", Values.formatCount(names.size(), "script"));
    }

    // ---- Lookups --------------------------------------------------------------------------------

    /** Returns the script's serving runtime, or empty when no version of it serves. Never blocks. */
    public Optional<ScriptRuntime> find(String name) {
        DeployedScript script = scripts.get(name);
        return script == null ? Optional.empty() : Optional.ofNullable(script.runtime);
    }

    /** Why a deployed script is not serving after a restart, or empty. */
    public Optional<String> startFailure(String name) {
        DeployedScript script = scripts.get(name);
        return script == null ? Optional.empty() : Optional.ofNullable(script.startFailure);
    }

    /**
     * Returns the message for a request that names a script that is not deployed: the name, the
     * deployed scripts, or how to deploy one when there is none.
     */
    public String noSuchScript(String name) {
        List<String> deployed = list().stream().map(Summary::script).sorted().toList();
        String others = deployed.isEmpty()
                ? "no script is deployed yet; deploy one with ./mooring deploy DIR --to ADMIN_URL"
                : "deployed scripts: " + String.join(", ", deployed);
        return "No script named \"" + name + "\" is deployed; " + others;
    }

    /** Lists the deployed scripts by name. */
    public List<Summary> list() {
        List<Summary> summaries = new ArrayList<>();
        for (DeployedScript script : scripts.values()) {
            ScriptVersion version = script.version;
            if (version != null) {
                summaries.add(summarize(script, version));
            }
        }
        summaries.sort((a, b) -> a.script().compareTo(b.script()));
        return summaries;
    }

    /** Describes one script, with the number of its objects in memory; empty when no script has that name. */
    public Optional<Details> describe(String name) {
        DeployedScript script = scripts.get(name);
        ScriptVersion version = script == null ? null : script.version;
        if (version == null) {
            return Optional.empty();
        }
        List<Integer> versions;
        try {
            versions = archive.versionNumbers(name);
        } catch (IOException e) {
            throw new UncheckedIOException("Listing the versions of script " + name + " failed: " + e.getMessage(), e);
        }
        ScriptRuntime runtime = script.runtime;
        return Optional.of(new Details(summarize(script, version), version, versions,
                runtime == null ? 0 : runtime.liveObjectsWithoutWaiting()));
    }

    private static Summary summarize(DeployedScript script, ScriptVersion version) {
        return new Summary(script.name, version.number(), version.deployedAt(), version.definition().durableObjectBindings(),
                script.startFailure);
    }

    // ---- Deploy ---------------------------------------------------------------------------------

    /**
     * Deploys a new version of the upload's script, creating the script if it does not exist. An
     * upload identical to the serving version leaves that version serving and returns its number.
     *
     * @throws UploadException when the migrations or the script itself is at fault: 409 for a stale
     *     {@code old_tag}, 400 with module, line and column for a script that does not load. The
     *     serving version, if any, keeps serving.
     */
    public Deployed deploy(ScriptUpload upload) throws UploadException {
        return withScriptLocked(upload.scriptName(), script -> deployLocked(script, upload));
    }

    /** Work on a script's entry under its lock. */
    @FunctionalInterface
    private interface ScriptWork<T, E extends Exception> {
        T apply(DeployedScript script) throws E;
    }

    /**
     * Runs {@code work} under the lock of the entry of script {@code name}, which it creates if
     * there is none. An entry that a deletion removed while this waited for its lock is replaced.
     */
    private <T, E extends Exception> T withScriptLocked(String name, ScriptWork<T, E> work) throws E {
        while (true) {
            DeployedScript script = scripts.computeIfAbsent(name, DeployedScript::new);
            script.lock.lock();
            try {
                if (script.removed) {
                    continue;
                }
                return work.apply(script);
            } finally {
                script.lock.unlock();
            }
        }
    }

    private Deployed deployLocked(DeployedScript script, ScriptUpload upload) throws UploadException {
        ScriptVersion previous = script.version;
        MigrationResult migration = upload.migrate(previous == null ? DeployedClasses.NONE
                : VersionComparison.classesOf(previous));
        ScriptDefinition definition = upload.definition(migration.classes());
        // A version that failed to start after a restart has no runtime, and the same upload restarts it.
        if (previous != null && script.runtime != null
                && VersionComparison.firstDifference(previous, definition, migration).isEmpty()) {
            log.info("Kept version {} of script {}: the upload is identical to it, so no new version was created and"
                    + " no object was reset", previous.number(), script.name);
            return new Deployed(script.name, previous.number(), false, true, previous.classes(), previous.migrationTag(),
                    upload.warnings());
        }

        int number = previous == null ? nextVersionNumber(script.name) : previous.number() + 1;
        NamespaceKeys.Result classes = NamespaceKeys.apply(script.name, number, previous, migration);
        ScriptVersion version = new ScriptVersion(number, Instant.now(), definition, classes.classes(),
                migration.classes().migrationTag(), classes.keysUsed(), classes.deletedKeys(), upload.warnings());

        boolean newLoops = script.loops == null;
        List<EventLoop> loops = newLoops ? services.startLoops(script.name) : script.loops;
        ScriptRuntime old = script.runtime;
        CompletableFuture<Void> loaded = new CompletableFuture<>();
        if (old != null) {
            // The new version loads on the loops that the serving one runs on.
            old.stopCodeStillRunningAfter(handOverGrace, loaded, LOAD_WAITED);
        }
        ScriptRuntime runtime;
        try {
            runtime = load(script.name, version, loops, newLoops);
        } finally {
            loaded.complete(null);
        }

        try {
            archive.prepare(script.name);
            archive.writeCurrent(version);
        } catch (IOException e) {
            runtime.close();
            if (newLoops) {
                services.stopLoops(loops);
            }
            throw new UncheckedIOException("Writing version " + number + " of script " + script.name + " to the archive"
                    + " failed: " + e.getMessage(), e);
        }

        script.loops = loops;
        script.version = version;
        script.startFailure = null;
        if (old != null) {
            runtime.follow(old);
            runtime.startAlarms();
            CompletableFuture<Void> retired = old.handOver(runtime, handOverGrace, CODE_UPDATED);
            old.stopCodeStillRunningAfter(handOverGrace, retired, CODE_UPDATED);
            script.runtime = runtime;
            // Not on the loop that completes the future: closing waits for tasks on every loop.
            retired.whenCompleteAsync((ignored, failure) -> {
                old.close();
                deleteNamespaces(version.deletedNamespaceKeys());
            }, task -> Thread.ofVirtual().name("mooring-retire-" + script.name).start(task));
        } else {
            script.runtime = runtime;
            runtime.startAlarms();
            deleteNamespaces(version.deletedNamespaceKeys());
        }
        log.info("Deployed version {} of script {}: bindings {}, classes {}, migration tag {}", number, script.name,
                version.definition().durableObjectBindings().stream().map(DurableObjectBinding::bindingName).toList(),
                version.classes().keySet(), version.migrationTag());
        return new Deployed(script.name, number, previous == null, false, version.classes(), version.migrationTag(),
                version.warnings());
    }

    /** Loads a version; a script error becomes a 400 that names the module, line and column. */
    private ScriptRuntime load(String name, ScriptVersion version, List<EventLoop> loops, boolean newLoops)
            throws UploadException {
        try {
            ScriptRuntime runtime = services.newRuntime(version.definition(), loops, version::namespaceKeyOf);
            runtime.start();
            return runtime;
        } catch (ScriptLoadException e) {
            if (newLoops) {
                services.stopLoops(loops);
            }
            log.info("Rejected version {} of script {}: {}", version.number(), name, e.getMessage());
            throw new UploadException(UploadException.BAD_REQUEST, e.getMessage(), e);
        } catch (RuntimeException e) {
            if (newLoops) {
                services.stopLoops(loops);
            }
            throw e;
        }
    }

    private int nextVersionNumber(String name) {
        try {
            List<Integer> numbers = archive.versionNumbers(name);
            return numbers.isEmpty() ? 1 : numbers.get(numbers.size() - 1) + 1;
        } catch (IOException e) {
            throw new UncheckedIOException("Listing the versions of script " + name + " failed: " + e.getMessage(), e);
        }
    }

    // ---- Delete ---------------------------------------------------------------------------------

    /**
     * Stops and removes a script. Its storage stays, so a script uploaded later under the same name
     * finds its objects again, unless {@code deleteStorage} asks to delete it too.
     *
     * @return false when no script has that name
     */
    public boolean delete(String name, boolean deleteStorage) {
        DeployedScript script = scripts.get(name);
        if (script == null) {
            return false;
        }
        script.lock.lock();
        try {
            if (script.removed || script.version == null) {
                return false;
            }
            script.removed = true;
            scripts.remove(name, script);
            ScriptRuntime runtime = script.runtime;
            script.runtime = null;
            if (runtime != null) {
                runtime.close();
            }
            if (script.loops != null) {
                services.stopLoops(script.loops);
            }
            try {
                archive.remove(name);
            } catch (IOException e) {
                throw new UncheckedIOException("Removing script " + name + " from the archive failed: " + e.getMessage(), e);
            }
            if (deleteStorage) {
                // Waits, so that a script uploaded next under this name cannot find the old namespaces.
                deleteNamespaces(script.version.classes().values().stream().map(DeployedClass::namespaceKey).toList()).join();
            }
            log.info("Deleted script {} (version {}); its storage was {}", name, script.version.number(),
                    deleteStorage ? "deleted too" : "kept");
            return true;
        } finally {
            script.lock.unlock();
        }
    }

    /** Deletes the data of these namespaces; the future completes when all of it is gone. */
    /**
     * Deletes the storage that script {@code name} kept when it was deleted without {@code
     * delete_storage}: every namespace whose key {@link NamespaceKeys} made for one of its
     * classes. Blocks until the data is gone.
     *
     * @return the number of namespaces deleted, or -1 when a version of the script is deployed,
     *     whose storage only {@link #delete} may remove
     */
    public int deleteKeptStorage(String name) {
        return withScriptLocked(name, script -> {
            if (script.version != null) {
                return -1;
            }
            List<String> keys = NamespaceKeys.keptBy(name, services.store().namespaceKeys());
            deleteNamespaces(keys).join();
            script.removed = true;
            scripts.remove(name, script);
            if (!keys.isEmpty()) {
                log.info("Deleted the storage that deleted script {} had kept: namespaces {}", name, keys);
            }
            return keys.size();
        });
    }

    private CompletableFuture<Void> deleteNamespaces(Collection<String> keys) {
        List<CompletableFuture<Long>> deletions = new ArrayList<>();
        for (String key : keys) {
            deletions.add(services.store().deleteNamespace(key).whenComplete((entries, failure) -> {
                if (failure != null) {
                    log.error("Deleting the storage namespace {} failed; it resumes at the next start", key, failure);
                }
            }));
        }
        return CompletableFuture.allOf(deletions.toArray(CompletableFuture[]::new));
    }

    /** Stops every script's runtime; the host services stop the loops. */
    @Override
    public void close() {
        for (DeployedScript script : scripts.values()) {
            ScriptRuntime runtime = script.runtime;
            if (runtime != null) {
                runtime.close();
            }
        }
        scripts.clear();
    }
}
