package dev.mooring.sandbox;

import java.util.Map;

/**
 * One version of a guest script, ready to load into contexts: its name, its modules and the
 * read-only file system that serves them. Immutable; shared by every context of this version.
 */
public final class GuestScript {

    /**
     * Source of the built-in {@code cloudflare:workers} module. It re-exports classes that the
     * runtime registered under a registry symbol, because a module has no other way to reach the
     * runtime's private state.
     */
    private static final String CLOUDFLARE_WORKERS = """
            const api = globalThis[Symbol.for("mooring.cloudflare:workers")];
            export const DurableObject = api.DurableObject;
            export const WorkerEntrypoint = api.WorkerEntrypoint;
            export const RpcTarget = api.RpcTarget;
            export const env = api.env;
            export default api;
            """;

    private final String name;
    private final ModuleBundle bundle;
    private final String modulePathPrefix;
    private final BundleFileSystem fileSystem;

    /**
     * @param modulePathPrefix prefixed to module names in messages so they show the path the author
     *     knows, such as {@code "src/"} when module names are relative to the project's src folder
     */
    public GuestScript(String name, ModuleBundle bundle, String modulePathPrefix) {
        this.name = name;
        this.bundle = bundle;
        this.modulePathPrefix = modulePathPrefix;
        this.fileSystem = new BundleFileSystem(bundle, Map.of("workers", CLOUDFLARE_WORKERS));
    }

    public GuestScript(String name, ModuleBundle bundle) {
        this(name, bundle, "");
    }

    /** Returns the path of a module as its author knows it, for messages. */
    public String displayPath(String moduleName) {
        return modulePathPrefix + moduleName;
    }

    public String name() {
        return name;
    }

    public ModuleBundle bundle() {
        return bundle;
    }

    BundleFileSystem fileSystem() {
        return fileSystem;
    }
}
