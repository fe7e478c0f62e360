package dev.mooring.host.scripts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.host.project.DurableObjectBinding;
import dev.mooring.host.project.ScriptDefinition;
import dev.mooring.host.project.StorageKind;
import dev.mooring.sandbox.ModuleBundle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Keeps deployed scripts on disk, so {@code mooring serve} serves them again after a restart.
 *
 * <pre>
 *   {root}/{script}/versions/{n}/version.json   what the version is: bindings, vars, classes, modules
 *   {root}/{script}/versions/{n}/modules/...    the module files, under their module names
 *   {root}/{script}/current                     the number of the version that serves
 * </pre>
 *
 * <p>A version is written in full to a temporary folder, flushed to disk and renamed into place;
 * only then is {@code current} replaced, by an atomic rename of a flushed file. A crash at any
 * point leaves the previous version current and whole. Module names were checked when the
 * bundle was made (no absolute paths, no {@code ..}), so they are safe as relative file paths.
 *
 * <p>Not thread-safe per script: the registry writes one script's versions one at a time.
 */
final class ScriptArchive {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CURRENT = "current";
    private static final String VERSIONS = "versions";
    private static final String VERSION_FILE = "version.json";
    private static final String MODULES = "modules";

    private final Path root;

    ScriptArchive(Path root) {
        this.root = root;
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the script archive folder " + root + ": " + e.getMessage(), e);
        }
    }

    /** Names of the scripts that have a current version, sorted. */
    List<String> scriptNames() throws IOException {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> scripts = Files.newDirectoryStream(root)) {
            for (Path script : scripts) {
                if (Files.isRegularFile(script.resolve(CURRENT))) {
                    names.add(script.getFileName().toString());
                }
            }
        }
        names.sort(Comparator.naturalOrder());
        return names;
    }

    /** Reads the current version of {@code script}. */
    ScriptVersion current(String script) throws IOException {
        String number = Files.readString(root.resolve(script).resolve(CURRENT), StandardCharsets.US_ASCII).strip();
        return read(script, Integer.parseInt(number));
    }

    /** Numbers of every version of {@code script} on disk, ascending. */
    List<Integer> versionNumbers(String script) throws IOException {
        Path versions = root.resolve(script).resolve(VERSIONS);
        if (!Files.isDirectory(versions)) {
            return List.of();
        }
        List<Integer> numbers = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(versions)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit) && Files.isRegularFile(entry.resolve(VERSION_FILE))) {
                    numbers.add(Integer.parseInt(name));
                }
            }
        }
        numbers.sort(Comparator.naturalOrder());
        return numbers;
    }

    /** Reads one version's description without its modules; for listings. */
    JsonNode summary(String script, int number) throws IOException {
        return JSON.readTree(versionFolder(script, number).resolve(VERSION_FILE).toFile());
    }

    /** Writes {@code version} in full and makes it current. */
    void writeCurrent(ScriptVersion version) throws IOException {
        String script = version.scriptName();
        Path folder = versionFolder(script, version.number());
        Path staging = folder.resolveSibling(version.number() + ".incomplete");
        deleteRecursively(staging);
        deleteRecursively(folder);

        writeVersion(staging, version);
        Files.move(staging, folder, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(folder.getParent());

        Path current = root.resolve(script).resolve(CURRENT);
        Path next = current.resolveSibling(CURRENT + ".next");
        writeSynced(next, Integer.toString(version.number()).getBytes(StandardCharsets.US_ASCII));
        try {
            Files.move(next, current, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("The file system of " + root + " cannot replace a file atomically, which the script"
                    + " archive needs to switch versions safely", e);
        }
        syncDirectory(current.getParent());
    }

    /** Deletes every file of {@code script}. */
    void remove(String script) throws IOException {
        Path folder = root.resolve(script);
        Files.deleteIfExists(folder.resolve(CURRENT));
        syncDirectory(folder);
        deleteRecursively(folder);
    }

    // ---- Format ---------------------------------------------------------------------------------

    private void writeVersion(Path staging, ScriptVersion version) throws IOException {
        ScriptDefinition definition = version.definition();
        Path modules = staging.resolve(MODULES);
        Files.createDirectories(modules);
        ArrayNode moduleList = JSON.createArrayNode();
        for (ModuleBundle.Module module : definition.bundle().modules().values()) {
            Path file = modules.resolve(module.name());
            Files.createDirectories(file.getParent());
            writeSynced(file, module.content());
            moduleList.addObject().put("name", module.name()).put("type", module.type().name());
        }

        ObjectNode root = JSON.createObjectNode();
        root.put("script", definition.name());
        root.put("version", version.number());
        root.put("deployedAt", version.deployedAt().toString());
        root.put("mainModule", definition.bundle().mainModule());
        root.put("compatibilityDate", definition.compatibilityDate() == null ? null : definition.compatibilityDate().toString());
        root.set("vars", JSON.valueToTree(definition.vars()));
        ArrayNode bindings = root.putArray("bindings");
        for (DurableObjectBinding binding : definition.durableObjectBindings()) {
            bindings.addObject().put("name", binding.bindingName()).put("className", binding.className());
        }
        ObjectNode classes = root.putObject("classes");
        version.classes().forEach((name, deployed) -> classes.putObject(name)
                .put("storage", deployed.storage().name())
                .put("namespaceKey", deployed.namespaceKey()));
        root.put("migrationTag", version.migrationTag());
        root.set("namespaceKeysUsed", JSON.valueToTree(version.namespaceKeysUsed()));
        root.set("deletedNamespaceKeys", JSON.valueToTree(version.deletedNamespaceKeys()));
        root.set("warnings", JSON.valueToTree(version.warnings()));
        root.set("modules", moduleList);
        writeSynced(staging.resolve(VERSION_FILE), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
        syncTree(staging);
    }

    private ScriptVersion read(String script, int number) throws IOException {
        Path folder = versionFolder(script, number);
        JsonNode root = JSON.readTree(folder.resolve(VERSION_FILE).toFile());

        Map<String, ModuleBundle.Module> modules = new LinkedHashMap<>();
        for (JsonNode module : root.path("modules")) {
            String name = module.path("name").asText();
            ModuleBundle.ModuleType type = ModuleBundle.ModuleType.valueOf(module.path("type").asText());
            modules.put(name, new ModuleBundle.Module(name, type, Files.readAllBytes(folder.resolve(MODULES).resolve(name))));
        }
        List<DurableObjectBinding> bindings = new ArrayList<>();
        for (JsonNode binding : root.path("bindings")) {
            bindings.add(new DurableObjectBinding(binding.path("name").asText(), binding.path("className").asText()));
        }
        Map<String, DeployedClass> classes = new LinkedHashMap<>();
        Map<String, StorageKind> kinds = new LinkedHashMap<>();
        root.path("classes").properties().forEach(entry -> {
            StorageKind storage = StorageKind.valueOf(entry.getValue().path("storage").asText());
            classes.put(entry.getKey(), new DeployedClass(storage, entry.getValue().path("namespaceKey").asText()));
            kinds.put(entry.getKey(), storage);
        });
        @SuppressWarnings("unchecked")
        Map<String, Object> vars = JSON.convertValue(root.path("vars"), LinkedHashMap.class);
        String date = root.path("compatibilityDate").isTextual() ? root.path("compatibilityDate").asText() : null;

        ScriptDefinition definition = new ScriptDefinition(root.path("script").asText(),
                date == null ? null : LocalDate.parse(date), vars == null ? Map.of() : vars, bindings, kinds,
                new ModuleBundle(root.path("mainModule").asText(), modules), "");
        return new ScriptVersion(number, Instant.parse(root.path("deployedAt").asText()), definition, classes,
                root.path("migrationTag").isTextual() ? root.path("migrationTag").asText() : null,
                strings(root.path("namespaceKeysUsed"), new LinkedHashSet<>()),
                strings(root.path("deletedNamespaceKeys"), new ArrayList<>()),
                strings(root.path("warnings"), new ArrayList<>()));
    }

    private static <C extends java.util.Collection<String>> C strings(JsonNode array, C into) {
        for (JsonNode item : array) {
            into.add(item.asText());
        }
        return into;
    }

    private Path versionFolder(String script, int number) {
        return root.resolve(script).resolve(VERSIONS).resolve(Integer.toString(number));
    }

    // ---- Files ----------------------------------------------------------------------------------

    private static void writeSynced(Path file, byte[] content) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /** Flushes every folder under {@code top}, so the names of the files written there are durable. */
    private static void syncTree(Path top) throws IOException {
        List<Path> folders;
        try (Stream<Path> walk = Files.walk(top)) {
            folders = walk.filter(Files::isDirectory).toList();
        }
        for (Path folder : folders) {
            syncDirectory(folder);
        }
    }

    private static void syncDirectory(Path folder) throws IOException {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        List<Path> entries;
        try (Stream<Path> walk = Files.walk(path)) {
            entries = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path entry : entries) {
            Files.deleteIfExists(entry);
        }
    }

    /** Ensures the folders of a script exist. */
    void prepare(String script) throws IOException {
        Files.createDirectories(root.resolve(script).resolve(VERSIONS));
    }
}
