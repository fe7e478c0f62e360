package dev.mooring.host.project;

import dev.mooring.sandbox.ModuleBundle;
import dev.mooring.sandbox.ModuleBundle.Module;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Collects a project's modules from disk into a {@link ModuleBundle}. Mooring does not bundle, so
 * it loads files as wrangler does with {@code no_bundle} and {@code find_additional_modules}
 * ({@code findAdditionalModules} in {@code packages/wrangler/src/deployment-bundle/find-additional-modules.ts}):
 *
 * <ul>
 *   <li>The module root is {@code base_dir} if set, else the directory that contains {@code main}
 *       ({@code getEntry} in {@code entry.ts}). Module names are paths relative to it, so
 *       {@code import x from "./util.js"} and a bare {@code import page from "chat.html"} both
 *       resolve to a file beside the main module.
 *   <li>Every file under the module root that a module rule in effect matches becomes a module of
 *       that rule's type. Other files are not modules.
 *   <li>Unlike wrangler, which skips only its {@code .wrangler} directory, Mooring skips
 *       {@code node_modules} and every directory and file whose name starts with a dot
 *       ({@code .git}, {@code .wrangler}, {@code .mooring}, editor and tool files). It does not
 *       follow symbolic links to directories, and it rejects a link that would load a module from
 *       outside the project.
 * </ul>
 *
 * <p>An instance serves one call of {@link #collect} and is confined to the calling thread.
 */
final class ModuleCollector {

    private static final Set<String> SKIPPED_DIRECTORIES = Set.of("node_modules");
    private static final Set<String> ES_MODULE_EXTENSIONS = Set.of(".js", ".mjs");

    private final Path projectDirectory;
    private final ConfigFile configFile;
    private final ModuleRules rules;
    private final Consumer<String> warnings;
    private final int maxModules;
    private final long maxTotalBytes;

    private Path moduleRoot;
    private final Map<String, Module> modules = new LinkedHashMap<>();
    private long totalBytes;

    private ModuleCollector(Path projectDirectory, ConfigFile configFile, ModuleRules rules,
            Consumer<String> warnings, int maxModules, long maxTotalBytes) {
        this.projectDirectory = projectDirectory;
        this.configFile = configFile;
        this.rules = rules;
        this.warnings = warnings;
        this.maxModules = maxModules;
        this.maxTotalBytes = maxTotalBytes;
    }

    /**
     * Resolves the main module and collects every other module under the module root.
     *
     * @param projectDirectory the project directory as a real path
     * @param maxModules       maximum number of modules, the main module included
     * @param maxTotalBytes    maximum total size of the modules' content, in bytes
     */
    static ModuleBundle collect(Path projectDirectory, ConfigFile configFile, WranglerConfig config,
            Consumer<String> warnings, int maxModules, long maxTotalBytes) throws ProjectException {
        ModuleRules rules = ModuleRules.resolve(config.rules(), configFile.fileName(), warnings);
        ModuleCollector collector =
                new ModuleCollector(projectDirectory, configFile, rules, warnings, maxModules, maxTotalBytes);
        return collector.collect(config.main(), config.baseDir());
    }

    /** Returns the folder module names are relative to; call only after {@link #collect} succeeded. */
    static Path moduleRoot(Path projectDirectory, WranglerConfig config) {
        Path mainPath = projectDirectory.resolve(config.main()).normalize();
        return config.baseDir() == null ? mainPath.getParent() : projectDirectory.resolve(config.baseDir()).normalize();
    }

    private ModuleBundle collect(String main, String baseDir) throws ProjectException {
        Path mainPath = resolveMain(main);
        moduleRoot = baseDir == null ? mainPath.getParent() : resolveBaseDir(baseDir, mainPath);
        String mainName = moduleName(mainPath);
        checkMainType(mainPath, mainName);
        add(mainPath, mainName, ModuleBundle.ModuleType.ES_MODULE);

        collectDirectory(moduleRoot, mainPath);
        try {
            return new ModuleBundle(mainName, modules);
        } catch (IllegalArgumentException e) {
            // Every name was checked when its module was built, so this is a defect here.
            throw new IllegalStateException("Collected modules do not form a valid bundle", e);
        }
    }

    private Path resolveMain(String main) throws ProjectException {
        Path mainPath = projectDirectory.resolve(main).normalize();
        String prefix = fileName() + ": key \"main\" names " + mainPath + ", which ";
        if (!mainPath.startsWith(projectDirectory)) {
            throw new ProjectException(prefix + "is outside the project directory " + projectDirectory
                    + "; move the entry module into the project");
        }
        if (!Files.exists(mainPath)) {
            throw new ProjectException(prefix + "does not exist; set \"main\" to the path of the Worker's entry "
                    + "module, relative to " + projectDirectory);
        }
        if (!Files.isRegularFile(mainPath)) {
            throw new ProjectException(prefix + "is not a file; set \"main\" to the path of the Worker's entry "
                    + "module, relative to " + projectDirectory);
        }
        Path target = realPath(mainPath);
        if (!target.startsWith(projectDirectory)) {
            throw new ProjectException(prefix + "links to " + target + ", outside the project directory "
                    + projectDirectory + "; move the entry module into the project");
        }
        return mainPath;
    }

    private Path resolveBaseDir(String baseDir, Path mainPath) throws ProjectException {
        Path root = projectDirectory.resolve(baseDir).normalize();
        String prefix = fileName() + ": key \"base_dir\" names " + root + ", which ";
        if (!root.startsWith(projectDirectory)) {
            throw new ProjectException(prefix + "is outside the project directory " + projectDirectory
                    + "; use a directory inside the project, or remove \"base_dir\"");
        }
        if (!Files.isDirectory(root) || !realPath(root).startsWith(projectDirectory)) {
            throw new ProjectException(prefix + "is not a directory inside the project; use a directory that "
                    + "contains the main module, or remove \"base_dir\"");
        }
        if (!mainPath.startsWith(root)) {
            throw new ProjectException(fileName() + ": key \"main\" names " + mainPath + ", which is outside "
                    + "base_dir " + root + "; move the entry module into base_dir, or change \"base_dir\"");
        }
        return root;
    }

    // wrangler treats the entry as an ES module whatever its extension; Mooring also runs it as
    // it is, so the file has to be JavaScript in ES module form.
    private void checkMainType(Path mainPath, String mainName) throws ProjectException {
        if (ES_MODULE_EXTENSIONS.contains(extension(mainName))) {
            return;
        }
        ModuleRule rule = rules.firstMatch(mainName);
        if (rule != null && rule.type() == ModuleRule.Type.ES_MODULE) {
            return;
        }
        String prefix = fileName() + ": key \"main\" names " + mainPath + ", which ";
        if (rule != null && rule.type().moduleType == null) {
            throw new ProjectException(prefix + "is a " + rule.type().configName + " module; Mooring supports "
                    + "only ES modules, Text and Data modules, so point \"main\" at an ES module");
        }
        throw new ProjectException(prefix + "is not an ES module file; Mooring runs .js and .mjs files as they "
                + "are, without bundling or compiling, so build TypeScript or JSX first and point \"main\" at the output");
    }

    private void collectDirectory(Path directory, Path mainPath) throws ProjectException {
        for (Path entry : sortedEntries(directory)) {
            String entryName = entry.getFileName().toString();
            if (entryName.startsWith(".")) {
                continue;
            }
            BasicFileAttributes attributes = attributes(entry);
            if (attributes.isDirectory()) {
                if (!SKIPPED_DIRECTORIES.contains(entryName)) {
                    collectDirectory(entry, mainPath);
                }
            } else if (attributes.isSymbolicLink()) {
                collectLink(entry, mainPath);
            } else if (attributes.isRegularFile() && !entry.equals(mainPath) && !entry.equals(configFile.path())) {
                collectFile(entry, attributes.size());
            }
        }
    }

    private void collectLink(Path link, Path mainPath) throws ProjectException {
        if (Files.isDirectory(link)) {
            warnings.accept(link + " is a symbolic link to a directory; Mooring does not follow it, so no module "
                    + "is loaded from it");
            return;
        }
        if (link.equals(mainPath) || link.equals(configFile.path()) || !Files.isRegularFile(link)
                || rules.firstMatch(moduleName(link)) == null) {
            return;
        }
        Path target = realPath(link);
        if (!target.startsWith(projectDirectory)) {
            throw new ProjectException(link + " is a symbolic link to " + target + ", outside the project directory "
                    + projectDirectory + "; Mooring loads only files inside the project, so copy the file in or "
                    + "remove the link");
        }
        collectFile(link, attributes(target).size());
    }

    private void collectFile(Path file, long size) throws ProjectException {
        String name = moduleName(file);
        ModuleRule rule = rules.firstMatch(name);
        if (rule == null) {
            return;
        }
        if (rule.type().moduleType == null) {
            throw new ProjectException(file + " is a " + rule.type().configName + " module (" + rule.describe()
                    + "); Mooring supports only ES modules, Text and Data modules. Convert it, or move it out of "
                    + moduleRoot + " if the Worker does not import it");
        }
        checkLimits(modules.size() + 1, totalBytes + size);
        add(file, name, rule.type().moduleType);
    }

    private void add(Path file, String name, ModuleBundle.ModuleType type) throws ProjectException {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ProjectException("Failed to read module " + file + ": " + e.getMessage(), e);
        }
        // Checked again with the bytes actually read, in case the file grew after it was listed.
        checkLimits(modules.size() + 1, totalBytes + content.length);
        try {
            modules.put(name, new Module(name, type, content));
        } catch (IllegalArgumentException e) {
            throw new ProjectException(file + " cannot be a module: " + e.getMessage() + "; rename the file", e);
        }
        totalBytes += content.length;
    }

    private void checkLimits(int moduleCount, long bytes) throws ProjectException {
        String advice = "; move files that the Worker does not import out of " + moduleRoot
                + ", or narrow the module rules in " + fileName();
        if (moduleCount > maxModules) {
            throw new ProjectException("The project in " + projectDirectory + " has more than " + maxModules
                    + " modules under " + moduleRoot + ", the maximum Mooring loads for one project" + advice);
        }
        if (bytes > maxTotalBytes) {
            throw new ProjectException("The modules under " + moduleRoot + " add up to more than " + maxTotalBytes
                    + " bytes (" + (maxTotalBytes / (1024 * 1024)) + " MiB), the maximum Mooring loads for one project"
                    + advice);
        }
    }

    /** Returns the module name of {@code file}: its path relative to the module root, '/'-separated. */
    private String moduleName(Path file) {
        List<String> segments = new ArrayList<>();
        for (Path segment : moduleRoot.relativize(file)) {
            segments.add(segment.toString());
        }
        return String.join("/", segments);
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        int slash = name.lastIndexOf('/');
        return dot > slash ? name.substring(dot) : "";
    }

    private String fileName() {
        return configFile.fileName();
    }

    private static List<Path> sortedEntries(Path directory) throws ProjectException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            stream.forEach(entries::add);
        } catch (IOException e) {
            throw new ProjectException("Failed to list directory " + directory + ": " + e.getMessage(), e);
        }
        entries.sort(null);
        return entries;
    }

    private static BasicFileAttributes attributes(Path path) throws ProjectException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new ProjectException("Failed to read the attributes of " + path + ": " + e.getMessage(), e);
        }
    }

    private static Path realPath(Path path) throws ProjectException {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            throw new ProjectException("Failed to resolve " + path + ": " + e.getMessage(), e);
        }
    }
}
