package dev.mooring.host.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.host.config.Spelling;
import dev.mooring.host.project.DurableObjectBinding;
import dev.mooring.host.project.JsIdentifiers;
import dev.mooring.host.project.Migration;
import dev.mooring.host.project.VarValues;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The metadata part of an upload, checked for type and meaning. It follows Cloudflare's metadata
 * for module Workers: {@code main_module}, {@code compatibility_date}, {@code compatibility_flags},
 * {@code bindings} of the types {@code durable_object_namespace}, {@code plain_text} and
 * {@code json}, and {@code migrations}. Keys Mooring does not support give one warning each and
 * are otherwise ignored, as in the wrangler configuration loader. Settings whose loss would change
 * what the script does, such as a binding type Mooring lacks, are errors.
 *
 * @param mainModule            {@code main_module}
 * @param compatibilityDate     {@code compatibility_date}, or null when absent
 * @param compatibilityFlags    {@code compatibility_flags}, kept for the host; nothing here acts on them
 * @param vars                  the {@code plain_text} and {@code json} bindings in order, with values
 *                              as {@link dev.mooring.host.project.Project#vars()} describes them
 * @param durableObjectBindings the {@code durable_object_namespace} bindings in order
 * @param bindingIndexes        for each Durable Object binding, its index in {@code bindings}
 * @param migrations            {@code migrations}, or null when absent
 */
record UploadMetadata(
        String mainModule,
        LocalDate compatibilityDate,
        List<String> compatibilityFlags,
        Map<String, Object> vars,
        List<DurableObjectBinding> durableObjectBindings,
        List<Integer> bindingIndexes,
        Migrations migrations) {

    /**
     * The {@code migrations} object: a single step in the object itself, or a list in
     * {@code steps}.
     *
     * @param oldTag    the tag the deployed version must have, or null when the script must have none
     * @param newTag    the tag the script has after this upload
     * @param steps     the steps in order; each step's tag is derived from {@code newTag}, because
     *                  the upload format gives steps no tags of their own
     * @param stepPaths each step's key for messages, such as {@code migrations.steps[0]}
     */
    record Migrations(String oldTag, String newTag, List<Migration> steps, List<String> stepPaths) {
        Migrations {
            steps = List.copyOf(steps);
            stepPaths = List.copyOf(stepPaths);
        }
    }

    /** The name used for the metadata part at the start of messages, as a file name would be. */
    static final String SOURCE = "metadata";

    static final String DURABLE_OBJECT_NAMESPACE = "durable_object_namespace";
    static final String PLAIN_TEXT = "plain_text";
    static final String JSON = "json";

    private static final Set<String> TOP_LEVEL_KEYS = Set.of(
            "main_module", "compatibility_date", "compatibility_flags", "bindings", "migrations");
    private static final Set<String> DURABLE_OBJECT_KEYS = Set.of("type", "name", "class_name", "script_name",
            "environment");
    private static final Set<String> PLAIN_TEXT_KEYS = Set.of("type", "name", "text");
    private static final Set<String> JSON_KEYS = Set.of("type", "name", "json");
    private static final Set<String> MIGRATIONS_KEYS = Set.of("old_tag", "new_tag", "steps");
    private static final Set<String> STEP_KEYS = Set.of(
            "new_classes", "new_sqlite_classes", "renamed_classes", "deleted_classes", "transferred_classes");
    private static final Set<String> RENAMED_CLASS_KEYS = Set.of("from", "to");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final int MAX_QUOTED_VALUE_LENGTH = 80;

    UploadMetadata {
        compatibilityFlags = List.copyOf(compatibilityFlags);
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
        durableObjectBindings = List.copyOf(durableObjectBindings);
        bindingIndexes = List.copyOf(bindingIndexes);
    }

    /**
     * Reads and checks {@code root}, the parsed metadata of an upload of {@code scriptName}.
     *
     * @throws UploadException 400 naming the key at fault
     */
    static UploadMetadata read(String scriptName, ObjectNode root, Consumer<String> warnings) throws UploadException {
        return new Reader(scriptName, warnings).read(root);
    }

    /** One read; confined to the calling thread. */
    private static final class Reader {
        private final String scriptName;
        private final Consumer<String> warnings;

        Reader(String scriptName, Consumer<String> warnings) {
            this.scriptName = scriptName;
            this.warnings = warnings;
        }

        UploadMetadata read(ObjectNode root) throws UploadException {
            if (root.has("body_part")) {
                throw error("key \"body_part\" selects the service-worker format, which Mooring does not support; "
                        + "upload ES modules and name the entry module's part in \"main_module\"");
            }
            warnAboutUnknownKeys(root, TOP_LEVEL_KEYS, "");

            String mainModule = optionalString(root, "main_module", "main_module");
            if (mainModule == null) {
                throw error("key \"main_module\" is missing; set it to the name of the Worker's entry module, "
                        + "e.g. \"worker.js\"");
            }
            LocalDate compatibilityDate = compatibilityDate(root);
            List<String> compatibilityFlags = optionalStringList(root, "compatibility_flags", "compatibility_flags");

            Map<String, Object> vars = new LinkedHashMap<>();
            List<DurableObjectBinding> durableObjectBindings = new ArrayList<>();
            List<Integer> bindingIndexes = new ArrayList<>();
            readBindings(root, vars, durableObjectBindings, bindingIndexes);

            Migrations migrations = migrations(root);
            return new UploadMetadata(mainModule, compatibilityDate, compatibilityFlags, vars, durableObjectBindings,
                    bindingIndexes, migrations);
        }

        private LocalDate compatibilityDate(ObjectNode root) throws UploadException {
            String text = optionalString(root, "compatibility_date", "compatibility_date");
            if (text == null) {
                return null;
            }
            try {
                if (DATE.matcher(text).matches()) {
                    return LocalDate.parse(text);
                }
            } catch (DateTimeParseException e) {
                // Reported below, like a value of the wrong form.
            }
            throw invalid("compatibility_date", root.get("compatibility_date"),
                    "use a date of the form YYYY-MM-DD, e.g. \"2024-01-01\"");
        }

        // ---- Bindings ---------------------------------------------------------------------------

        private void readBindings(ObjectNode root, Map<String, Object> vars, List<DurableObjectBinding> durableObjects,
                List<Integer> indexes) throws UploadException {
            List<ObjectNode> bindings = optionalObjectList(root, "bindings", "bindings");
            Map<String, Integer> firstIndex = new HashMap<>();
            for (int i = 0; i < bindings.size(); i++) {
                ObjectNode binding = bindings.get(i);
                String path = "bindings[" + i + "]";
                String type = requiredString(binding, "type", path + ".type",
                        "set it to " + DURABLE_OBJECT_NAMESPACE + ", " + PLAIN_TEXT + " or " + JSON);
                String name = requiredString(binding, "name", path + ".name",
                        "set it to the name under which the Worker finds the binding in env");
                if (name.isEmpty()) {
                    throw invalid(path + ".name", binding.get("name"),
                            "set it to the name under which the Worker finds the binding in env");
                }
                Integer earlier = firstIndex.putIfAbsent(name, i);
                if (earlier != null) {
                    throw error("key \"" + path + ".name\" repeats the binding name \"" + name + "\" of bindings["
                            + earlier + "]; give each binding a unique name, because each becomes env." + name);
                }
                switch (type) {
                    case DURABLE_OBJECT_NAMESPACE -> {
                        durableObjects.add(durableObjectBinding(binding, path, name));
                        indexes.add(i);
                    }
                    case PLAIN_TEXT -> {
                        warnAboutUnknownKeys(binding, PLAIN_TEXT_KEYS, path + ".");
                        vars.put(name, requiredString(binding, "text", path + ".text",
                                "set it to the variable's value as a string"));
                    }
                    case JSON -> {
                        warnAboutUnknownKeys(binding, JSON_KEYS, path + ".");
                        JsonNode value = binding.get("json");
                        if (value == null) {
                            throw error("key \"" + path + ".json\" is missing; set it to the variable's value as "
                                    + "JSON, e.g. {\"limit\": 10}");
                        }
                        vars.put(name, VarValues.fromJson(value));
                    }
                    default -> throw error("key \"" + path + ".type\" is \"" + type + "\", a binding type Mooring "
                            + "does not support; Mooring supports " + DURABLE_OBJECT_NAMESPACE + ", " + PLAIN_TEXT
                            + " and " + JSON + " bindings, so remove binding \"" + name + "\"");
                }
            }
        }

        private DurableObjectBinding durableObjectBinding(ObjectNode binding, String path, String name)
                throws UploadException {
            warnAboutUnknownKeys(binding, DURABLE_OBJECT_KEYS, path + ".");
            if (!JsIdentifiers.isValid(name)) {
                throw error("key \"" + path + ".name\" has the invalid value \"" + name + "\"; a Durable Object "
                        + "binding name must be a JavaScript identifier that is not a reserved word, e.g. \""
                        + JsIdentifiers.suggest(name) + "\"");
            }
            if (binding.has("namespace_id") && !binding.has("class_name")) {
                throw error("durable object binding \"" + name + "\" (" + path + ") names a namespace by "
                        + "namespace_id, which refers to a namespace made with Cloudflare's namespaces API; Mooring "
                        + "makes a namespace for each class that a migration creates, so set \"class_name\" to the "
                        + "class and create it in \"migrations\"");
            }
            String className = requiredString(binding, "class_name", path + ".class_name",
                    "set it to the name of the exported Durable Object class, e.g. \"Counter\"");
            if (className.isEmpty()) {
                throw invalid(path + ".class_name", binding.get("class_name"),
                        "set it to the name of the exported Durable Object class, e.g. \"Counter\"");
            }
            // A script_name naming this script itself is a local binding, as wrangler treats it.
            String environment = optionalString(binding, "environment", path + ".environment");
            if (environment != null) {
                throw error("durable object binding \"" + name + "\" sets " + path + ".environment = \"" + environment
                        + "\", which binds a class of an environment of another script; Mooring does not support "
                        + "bindings across scripts. Define the class in this script and remove \"environment\" and "
                        + "\"script_name\"");
            }
            String otherScript = optionalString(binding, "script_name", path + ".script_name");
            if (otherScript != null && !otherScript.equals(scriptName)) {
                throw error("durable object binding \"" + name + "\" sets " + path + ".script_name = \"" + otherScript
                        + "\", which binds a class of another script; Mooring does not support bindings across "
                        + "scripts. Define the class in this script (\"" + scriptName + "\") and remove \"script_name\"");
            }
            return new DurableObjectBinding(name, className);
        }

        // ---- Migrations -------------------------------------------------------------------------

        private Migrations migrations(ObjectNode root) throws UploadException {
            JsonNode node = root.get("migrations");
            if (node == null || node.isNull()) {
                return null;
            }
            if (!(node instanceof ObjectNode migrations)) {
                throw wrongType("migrations", "an object", node);
            }
            String oldTag = optionalTag(migrations, "old_tag");
            String newTag = optionalTag(migrations, "new_tag");
            if (newTag == null) {
                throw error("key \"migrations.new_tag\" is missing; set it to the tag of the last migration, e.g. "
                        + "\"v1\", so that the next upload can name it in old_tag");
            }

            List<Migration> steps = new ArrayList<>();
            List<String> stepPaths = new ArrayList<>();
            if (migrations.has("steps")) {
                warnAboutUnknownKeys(migrations, MIGRATIONS_KEYS, "migrations.");
                for (String key : STEP_KEYS) {
                    if (migrations.has(key)) {
                        throw error("key \"migrations\" has both \"steps\" and \"" + key + "\"; put every change "
                                + "into the steps, or send a single step's keys without \"steps\"");
                    }
                }
                List<ObjectNode> entries = optionalObjectList(migrations, "steps", "migrations.steps");
                for (int i = 0; i < entries.size(); i++) {
                    String stepTag = entries.size() == 1 ? newTag : newTag + " (step " + (i + 1) + ")";
                    stepPaths.add("migrations.steps[" + i + "]");
                    steps.add(step(entries.get(i), stepTag, "migrations.steps[" + i + "]"));
                }
            } else {
                warnAboutUnknownKeys(migrations, union(MIGRATIONS_KEYS, STEP_KEYS), "migrations.");
                stepPaths.add("migrations");
                steps.add(step(migrations, newTag, "migrations"));
            }
            if (newTag.equals(oldTag) && steps.stream().anyMatch(Reader::changesClasses)) {
                throw error("key \"migrations.new_tag\" equals old_tag \"" + oldTag + "\"; give the new migrations "
                        + "a new tag, so that the script's tag says which migrations it has");
            }
            return new Migrations(oldTag, newTag, steps, stepPaths);
        }

        private Migration step(ObjectNode step, String tag, String path) throws UploadException {
            if (!path.equals("migrations")) {
                warnAboutUnknownKeys(step, STEP_KEYS, path + ".");
            }
            JsonNode transferred = step.get("transferred_classes");
            if (transferred != null && !(transferred.isArray() && transferred.isEmpty())) {
                throw error("key \"" + path + ".transferred_classes\" moves classes from another script; Mooring "
                        + "does not support transfers between scripts. Remove \"transferred_classes\"");
            }
            return new Migration(tag,
                    classNames(step, "new_classes", path),
                    classNames(step, "new_sqlite_classes", path),
                    renamedClasses(step, path),
                    classNames(step, "deleted_classes", path));
        }

        private static boolean changesClasses(Migration step) {
            return !step.newClasses().isEmpty() || !step.newSqliteClasses().isEmpty()
                    || !step.renamedClasses().isEmpty() || !step.deletedClasses().isEmpty();
        }

        private List<String> classNames(ObjectNode step, String key, String stepPath) throws UploadException {
            String path = stepPath + "." + key;
            List<String> names = optionalStringList(step, key, path);
            for (String name : names) {
                if (name.isEmpty()) {
                    throw error("key \"" + path + "\" contains an empty class name; remove it or write the class name");
                }
            }
            return names;
        }

        private List<Migration.RenamedClass> renamedClasses(ObjectNode step, String stepPath) throws UploadException {
            String listPath = stepPath + ".renamed_classes";
            List<ObjectNode> entries = optionalObjectList(step, "renamed_classes", listPath);
            List<Migration.RenamedClass> renamed = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                ObjectNode entry = entries.get(i);
                String path = listPath + "[" + i + "]";
                warnAboutUnknownKeys(entry, RENAMED_CLASS_KEYS, path + ".");
                String from = requiredString(entry, "from", path + ".from", "set it to the class's old name");
                String to = requiredString(entry, "to", path + ".to", "set it to the class's new name");
                if (from.isEmpty() || to.isEmpty()) {
                    throw error("key \"" + path + "\" has an empty class name; write the class's old and new name");
                }
                renamed.add(new Migration.RenamedClass(from, to));
            }
            return renamed;
        }

        private String optionalTag(ObjectNode migrations, String key) throws UploadException {
            String tag = optionalString(migrations, key, "migrations." + key);
            if (tag != null && tag.isEmpty()) {
                throw invalid("migrations." + key, migrations.get(key), "a tag is a non-empty string, e.g. \"v1\"");
            }
            return tag;
        }

        private static Set<String> union(Set<String> first, Set<String> second) {
            Set<String> union = new java.util.HashSet<>(first);
            union.addAll(second);
            return union;
        }

        // ---- Reading helpers --------------------------------------------------------------------
        // `path` is the key's full path, used in messages. A JSON null counts as an absent key.

        private void warnAboutUnknownKeys(ObjectNode object, Set<String> known, String pathPrefix) {
            for (Map.Entry<String, JsonNode> property : object.properties()) {
                String key = property.getKey();
                if (!known.contains(key)) {
                    List<String> suggestions = Spelling.misspelledKey(key, known).stream().map(closest -> pathPrefix + closest).toList();
                    warnings.accept(SOURCE + ": key \"" + pathPrefix + key + "\" is not supported by Mooring and is ignored"
                            + (suggestions.isEmpty() ? "" : ". Did you mean \"" + String.join("\" or \"", suggestions) + "\"?"));
                }
            }
        }

        private String optionalString(ObjectNode object, String key, String path) throws UploadException {
            JsonNode value = object.get(key);
            if (value == null || value.isNull()) {
                return null;
            }
            if (!value.isTextual()) {
                throw wrongType(path, "a string", value);
            }
            return value.textValue();
        }

        private String requiredString(ObjectNode object, String key, String path, String hint) throws UploadException {
            String value = optionalString(object, key, path);
            if (value == null) {
                throw error("key \"" + path + "\" is missing; " + hint);
            }
            return value;
        }

        private List<String> optionalStringList(ObjectNode object, String key, String path) throws UploadException {
            JsonNode value = object.get(key);
            if (value == null || value.isNull()) {
                return List.of();
            }
            if (!value.isArray()) {
                throw wrongType(path, "an array of strings", value);
            }
            List<String> strings = new ArrayList<>();
            for (JsonNode element : value) {
                if (!element.isTextual()) {
                    throw wrongType(path, "an array of strings", value);
                }
                strings.add(element.textValue());
            }
            return strings;
        }

        private List<ObjectNode> optionalObjectList(ObjectNode object, String key, String path) throws UploadException {
            JsonNode value = object.get(key);
            if (value == null || value.isNull()) {
                return List.of();
            }
            if (!value.isArray()) {
                throw wrongType(path, "an array of objects", value);
            }
            List<ObjectNode> objects = new ArrayList<>();
            for (int i = 0; i < value.size(); i++) {
                if (!(value.get(i) instanceof ObjectNode element)) {
                    throw wrongType(path + "[" + i + "]", "an object", value.get(i));
                }
                objects.add(element);
            }
            return objects;
        }

        private UploadException wrongType(String path, String expected, JsonNode value) {
            return error("key \"" + path + "\" must be " + expected + ", not " + quote(value));
        }

        private UploadException invalid(String path, JsonNode value, String hint) {
            return error("key \"" + path + "\" has the invalid value " + quote(value) + "; " + hint);
        }

        private static UploadException error(String message) {
            return new UploadException(UploadException.BAD_REQUEST, SOURCE + ": " + message);
        }

        private static String quote(JsonNode value) {
            String text = value.toString();
            return text.length() <= MAX_QUOTED_VALUE_LENGTH ? text : text.substring(0, MAX_QUOTED_VALUE_LENGTH) + "...";
        }
    }
}
