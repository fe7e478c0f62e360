package dev.mooring.host.project;

import dev.mooring.host.config.Values;
import dev.mooring.sandbox.ModuleBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a wrangler-style project directory into a {@link Project}: finds and parses the
 * configuration file, checks every supported key, applies the migrations and collects the modules.
 *
 * <p>Mooring reads the subset of wrangler's configuration that a Durable Object project needs:
 * {@code name}, {@code main}, {@code base_dir}, {@code compatibility_date},
 * {@code compatibility_flags}, {@code [vars]}, {@code [durable_objects] bindings},
 * {@code [[rules]]} and {@code [[migrations]]}. Any other key, top-level or inside those tables,
 * gets one warning and is otherwise ignored. Settings that would change what the Worker does in a
 * way Mooring cannot honour, such as a binding to another Worker's class, are errors.
 *
 * <p>Every warning goes to the injected sink, to the SLF4J log at WARN and into
 * {@link Project#warnings()}. Errors are {@link ProjectException}s whose message is ready for the
 * user. A loader keeps no state between calls, so it is as thread-safe as its warning sink.
 */
public final class ProjectLoader {

    private static final Logger LOG = LoggerFactory.getLogger(ProjectLoader.class);

    /**
     * Maximum number of modules in one project, the main module included. It bounds the files read
     * at startup and the module map that each context of the project keeps.
     */
    public static final int MAX_MODULES = 10_000;

    /**
     * Maximum total size of one project's module content, in bytes: 64 MiB. Every context of the
     * project keeps this content in memory.
     */
    public static final long MAX_TOTAL_MODULE_BYTES = 64L * 1024 * 1024;

    /** The compatibility flags that turn on Node.js built-in modules on Cloudflare. */
    private static final Set<String> NODE_FLAGS = Set.of("nodejs_compat", "nodejs_compat_v2", "nodejs_als");

    private final Consumer<String> warningSink;

    /** @param warningSink receives each warning as a complete sentence for the user */
    public ProjectLoader(Consumer<String> warningSink) {
        this.warningSink = Objects.requireNonNull(warningSink, "warningSink");
    }

    /**
     * Loads the project in {@code directory}.
     *
     * @throws ProjectException when the directory, its configuration or its modules cannot run on
     *                          Mooring. The message names the file, key and value and what to change.
     */
    public Project load(Path directory) throws ProjectException {
        Path projectDirectory = realDirectory(directory);
        List<String> warnings = new ArrayList<>();
        Consumer<String> warn = warning -> {
            warnings.add(warning);
            LOG.warn("{}", warning);
            warningSink.accept(warning);
        };

        ConfigFile configFile = ConfigFile.read(projectDirectory, warn);
        WranglerConfig config = WranglerConfig.read(configFile, warn);
        String name = config.name() != null ? config.name() : defaultName(projectDirectory, configFile, warn);
        warnAboutNodeFlags(configFile, config.compatibilityFlags(), warn);
        Map<String, StorageKind> classStorageKinds =
                MigrationHistory.apply(configFile.fileName(), config.migrations(), config.bindings(), warn);
        ModuleBundle bundle = ModuleCollector.collect(
                projectDirectory, configFile, config, warn, MAX_MODULES, MAX_TOTAL_MODULE_BYTES);

        LOG.info("Loaded project {} from {}: {}, main module {}, {}", name, configFile.path(),
                Values.formatCount(bundle.modules().size(), "module"), bundle.mainModule(),
                Values.formatCount(config.bindings().size(), "durable object binding"));
        return new Project(
                name,
                projectDirectory,
                configFile.path(),
                config.compatibilityDate(),
                config.compatibilityFlags(),
                config.vars(),
                config.bindings(),
                config.migrations(),
                classStorageKinds,
                ModuleCollector.moduleRoot(projectDirectory, config),
                bundle,
                warnings);
    }

    /**
     * Loads the project as {@code ./mooring dev} runs it: as {@link #load}, plus the variables of
     * {@link LocalVarsFile} next to the configuration file, which override {@code [vars]} of the
     * same name.
     *
     * @throws ProjectException as {@link #load} does, and when the local file is malformed or names
     *                          a Durable Object binding
     */
    public Project loadForDev(Path directory) throws ProjectException {
        Project project = load(directory);
        Optional<LocalVarsFile.Contents> local = LocalVarsFile.read(project.configFile().getParent());
        if (local.isEmpty()) {
            return project;
        }

        Path file = local.get().file();
        Map<String, String> localVars = local.get().vars();
        for (DurableObjectBinding binding : project.durableObjectBindings()) {
            if (localVars.containsKey(binding.bindingName())) {
                throw new ProjectException(file + " sets \"" + binding.bindingName() + "\", which is also the name of a"
                        + " Durable Object binding; rename the variable, because both would become env." + binding.bindingName());
            }
        }

        Map<String, Object> vars = new LinkedHashMap<>(project.vars());
        vars.putAll(localVars);
        // The values are secrets, so only the names are logged.
        LOG.info("Read {} from {}: {}", Values.formatCount(localVars.size(), "local variable"), file,
                String.join(", ", localVars.keySet()));
        return project.withVars(vars);
    }

    /** Warns about compatibility flags that ask for Node.js built-in modules, which Mooring does not provide. */
    private static void warnAboutNodeFlags(ConfigFile configFile, List<String> flags, Consumer<String> warnings) {
        List<String> nodeFlags = flags.stream().filter(NODE_FLAGS::contains).toList();
        if (!nodeFlags.isEmpty()) {
            warnings.accept(configFile.fileName() + ": compatibility flag " + String.join(", ", nodeFlags) + " has no effect:"
                    + " Mooring does not provide Node.js built-in modules, so an import of \"node:buffer\" and the like"
                    + " fails. Bundle a plain JavaScript replacement into the project if the script needs one");
        }
    }

    private static String defaultName(Path directory, ConfigFile configFile, Consumer<String> warnings) {
        String name = ScriptNames.fromDirectoryName(directory.getFileName().toString());
        warnings.accept(configFile.fileName() + ": key \"name\" is not set; using \"" + name
                + "\", derived from the directory name. Set \"name\" to choose the Worker's name");
        return name;
    }

    private static Path realDirectory(Path directory) throws ProjectException {
        Objects.requireNonNull(directory, "directory");
        if (!Files.isDirectory(directory)) {
            throw new ProjectException("Project directory " + directory.toAbsolutePath()
                    + " does not exist or is not a directory; pass the directory that contains wrangler.toml");
        }
        try {
            return directory.toRealPath();
        } catch (IOException e) {
            throw new ProjectException("Failed to resolve project directory " + directory + ": " + e.getMessage(), e);
        }
    }
}
