package dev.mooring.host.project;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.host.config.Spelling;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The settings Mooring reads from a configuration file, checked for type and meaning. Keys Mooring
 * does not support are reported as one warning per key and otherwise ignored; they never change the
 * result. Migrations are read here and applied by {@link MigrationHistory}.
 *
 * @param name       {@code name}, or null when the file sets none
 * @param main       {@code main}, relative to the project directory
 * @param baseDir    {@code base_dir}, relative to the project directory, or null when the file sets none
 * @param bindings   {@code [durable_objects] bindings}; each binding's index in this list is its index in the file
 * @param migrations {@code [[migrations]]}; likewise in file order
 */
record WranglerConfig(
        String name,
        String main,
        String baseDir,
        LocalDate compatibilityDate,
        List<String> compatibilityFlags,
        Map<String, Object> vars,
        List<DurableObjectBinding> bindings,
        List<ModuleRule> rules,
        List<Migration> migrations) {

    // wrangler's check for Worker names (isValidName in packages/workers-utils), minus the empty name.
    private static final Pattern WORKER_NAME = Pattern.compile("[a-z0-9_][a-z0-9_-]*");

    private static final Set<String> TOP_LEVEL_KEYS = Set.of(
            "name", "main", "base_dir", "compatibility_date", "compatibility_flags", "vars",
            "durable_objects", "rules", "migrations");
    private static final Set<String> DURABLE_OBJECTS_KEYS = Set.of("bindings");
    private static final Set<String> BINDING_KEYS = Set.of("name", "class_name", "script_name", "environment");
    private static final Set<String> RULE_KEYS = Set.of("type", "globs", "fallthrough");
    private static final Set<String> MIGRATION_KEYS = Set.of(
            "tag", "new_classes", "new_sqlite_classes", "renamed_classes", "deleted_classes", "transferred_classes");
    private static final Set<String> RENAMED_CLASS_KEYS = Set.of("from", "to");

    /**
     * Top-level keys that are accepted without a warning when they hold this value, because
     * Mooring always behaves that way: it never bundles and always collects additional modules.
     * {@code $schema} only points editors at wrangler's JSON schema.
     */
    private static final Map<String, Boolean> KEYS_MATCHING_MOORING = Map.of(
            "no_bundle", true,
            "find_additional_modules", true);
    private static final String SCHEMA_KEY = "$schema";

    /** Reads and checks {@code file}; warns once for each unsupported key. */
    static WranglerConfig read(ConfigFile file, Consumer<String> warnings) throws ProjectException {
        Reader reader = new Reader(file.fileName());
        try {
            return reader.read(file.root());
        } finally {
            // Also on an error: the unsupported keys found so far may explain it.
            reader.unsupportedKeys.forEach((key, suggestions) -> warnings.accept(file.fileName() + ": key \"" + key
                    + "\" is not supported by Mooring and is ignored"
                    + (suggestions.isEmpty() ? "" : ". Did you mean \"" + String.join("\" or \"", suggestions) + "\"?")));
        }
    }

    /** Reads one file's tree, collecting unsupported keys in the order they appear. */
    private static final class Reader {
        private final String fileName;
        /** Each unsupported key, with the supported keys of its table spelled most like it. */
        private final Map<String, List<String>> unsupportedKeys = new LinkedHashMap<>();

        Reader(String fileName) {
            this.fileName = fileName;
        }

        WranglerConfig read(ObjectNode root) throws ProjectException {
            noteUnsupportedTopLevelKeys(root);

            String name = optionalString(root, "name", "name");
            if (name != null && !WORKER_NAME.matcher(name).matches()) {
                throw invalid("name", root.get("name"), "a Worker name contains only lowercase letters, digits, "
                        + "\"-\" and \"_\", e.g. \"" + ScriptNames.fromDirectoryName(name) + "\"");
            }
            String main = optionalString(root, "main", "main");
            if (main == null) {
                throw new ProjectException(fileName + ": key \"main\" is missing; set it to the path of the "
                        + "Worker's entry module, relative to the project directory, e.g. \"src/index.js\"");
            }
            String baseDir = optionalString(root, "base_dir", "base_dir");
            LocalDate compatibilityDate = compatibilityDate(root);
            List<String> compatibilityFlags = optionalStringList(root, "compatibility_flags", "compatibility_flags");
            Map<String, Object> vars = vars(root);
            List<DurableObjectBinding> bindings = bindings(root, name);
            checkBindingNames(bindings, vars);
            List<ModuleRule> rules = rules(root);
            List<Migration> migrations = migrations(root);
            return new WranglerConfig(
                    name, main, baseDir, compatibilityDate, compatibilityFlags, vars, bindings, rules, migrations);
        }

        private void noteUnsupportedTopLevelKeys(ObjectNode root) {
            for (Map.Entry<String, JsonNode> entry : root.properties()) {
                String key = entry.getKey();
                if (TOP_LEVEL_KEYS.contains(key) || key.equals(SCHEMA_KEY)) {
                    continue;
                }
                Boolean matching = KEYS_MATCHING_MOORING.get(key);
                if (matching != null && entry.getValue().isBoolean() && entry.getValue().booleanValue() == matching) {
                    continue;
                }
                unsupportedKeys.putIfAbsent(key, Spelling.misspelledKey(key, TOP_LEVEL_KEYS));
            }
        }

        private LocalDate compatibilityDate(ObjectNode root) throws ProjectException {
            String text = optionalString(root, "compatibility_date", "compatibility_date");
            if (text == null) {
                return null;
            }
            try {
                return LocalDate.parse(text);
            } catch (DateTimeParseException e) {
                throw invalid("compatibility_date", root.get("compatibility_date"),
                        "use a date of the form YYYY-MM-DD, e.g. \"2024-01-01\"");
            }
        }

        private Map<String, Object> vars(ObjectNode root) throws ProjectException {
            ObjectNode table = optionalTable(root, "vars", "vars");
            if (table == null) {
                return Map.of();
            }
            Map<String, Object> vars = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : table.properties()) {
                vars.put(entry.getKey(), VarValues.fromJson(entry.getValue()));
            }
            return vars;
        }

        private List<DurableObjectBinding> bindings(ObjectNode root, String workerName) throws ProjectException {
            ObjectNode durableObjects = optionalTable(root, "durable_objects", "durable_objects");
            if (durableObjects == null) {
                return List.of();
            }
            noteUnsupportedKeys(durableObjects, DURABLE_OBJECTS_KEYS, "durable_objects");
            List<ObjectNode> entries = optionalTableList(durableObjects, "bindings", "durable_objects.bindings");
            List<DurableObjectBinding> bindings = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                ObjectNode entry = entries.get(i);
                String path = "durable_objects.bindings[" + i + "]";
                noteUnsupportedKeys(entry, BINDING_KEYS, "durable_objects.bindings");
                String bindingName = requiredString(entry, "name", path + ".name",
                        "set it to the name under which the Worker sees the namespace, e.g. \"COUNTER\"");
                String className = requiredString(entry, "class_name", path + ".class_name",
                        "set it to the name of the exported Durable Object class, e.g. \"Counter\"");
                if (className.isEmpty()) {
                    throw invalid(path + ".class_name", entry.get("class_name"),
                            "set it to the name of the exported Durable Object class, e.g. \"Counter\"");
                }
                checkLocalClass(entry, path, bindingName, workerName);
                bindings.add(new DurableObjectBinding(bindingName, className));
            }
            return bindings;
        }

        // script_name naming this Worker itself is a local binding, as wrangler treats it
        // (partitionDurableObjectBindings in packages/wrangler/src/deployment-bundle/entry.ts).
        private void checkLocalClass(ObjectNode entry, String path, String bindingName, String workerName)
                throws ProjectException {
            String scriptName = optionalString(entry, "script_name", path + ".script_name");
            String environment = optionalString(entry, "environment", path + ".environment");
            if (environment != null) {
                throw new ProjectException(fileName + ": durable object binding \"" + bindingName + "\" sets "
                        + path + ".environment = \"" + environment + "\", which binds a class of an environment of "
                        + "another Worker; Mooring runs each project as one Worker and does not support that. "
                        + "Define the class in this project and remove \"environment\" and \"script_name\"");
            }
            if (scriptName != null && !scriptName.equals(workerName)) {
                throw new ProjectException(fileName + ": durable object binding \"" + bindingName + "\" sets "
                        + path + ".script_name = \"" + scriptName + "\", which binds a class of another Worker; "
                        + "Mooring runs each project as one Worker and does not support that. "
                        + "Define the class in this project and remove \"script_name\"");
            }
        }

        private void checkBindingNames(List<DurableObjectBinding> bindings, Map<String, Object> vars)
                throws ProjectException {
            Map<String, Integer> firstIndex = new HashMap<>();
            for (int i = 0; i < bindings.size(); i++) {
                String bindingName = bindings.get(i).bindingName();
                String path = "durable_objects.bindings[" + i + "].name";
                if (!JsIdentifiers.isValid(bindingName)) {
                    throw new ProjectException(fileName + ": key \"" + path + "\" has the invalid value \""
                            + bindingName + "\"; a binding name must be a JavaScript identifier that is not a "
                            + "reserved word, e.g. \"" + JsIdentifiers.suggest(bindingName) + "\"");
                }
                Integer earlier = firstIndex.putIfAbsent(bindingName, i);
                if (earlier != null) {
                    throw new ProjectException(fileName + ": key \"" + path + "\" repeats the binding name \""
                            + bindingName + "\" of durable_objects.bindings[" + earlier + "]; give each binding a unique name");
                }
                if (vars.containsKey(bindingName)) {
                    throw new ProjectException(fileName + ": key \"" + path + "\" has the value \"" + bindingName
                            + "\", which is also the name of a var; rename the var or the binding, because both "
                            + "become env." + bindingName);
                }
            }
        }

        private List<ModuleRule> rules(ObjectNode root) throws ProjectException {
            List<ObjectNode> entries = optionalTableList(root, "rules", "rules");
            List<ModuleRule> rules = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                ObjectNode entry = entries.get(i);
                String path = "rules[" + i + "]";
                noteUnsupportedKeys(entry, RULE_KEYS, "rules");
                String typeName = requiredString(entry, "type", path + ".type",
                        "set it to one of " + ModuleRule.Type.configNames());
                ModuleRule.Type type = ModuleRule.Type.fromConfigName(typeName);
                if (type == null) {
                    throw invalid(path + ".type", entry.get("type"), "use one of " + ModuleRule.Type.configNames());
                }
                if (entry.get("globs") == null) {
                    throw new ProjectException(fileName + ": key \"" + path + ".globs\" is missing; list the "
                            + "files the rule applies to, e.g. [\"**/*.html\"]");
                }
                List<String> globs = optionalStringList(entry, "globs", path + ".globs");
                Boolean fallthrough = optionalBoolean(entry, "fallthrough", path + ".fallthrough");
                rules.add(new ModuleRule(type, globs, fallthrough, false));
            }
            return rules;
        }

        private List<Migration> migrations(ObjectNode root) throws ProjectException {
            List<ObjectNode> entries = optionalTableList(root, "migrations", "migrations");
            List<Migration> migrations = new ArrayList<>();
            Map<String, Integer> tagIndex = new HashMap<>();
            for (int i = 0; i < entries.size(); i++) {
                ObjectNode entry = entries.get(i);
                String path = "migrations[" + i + "]";
                noteUnsupportedKeys(entry, MIGRATION_KEYS, "migrations");
                String tag = requiredString(entry, "tag", path + ".tag",
                        "give each migration a unique tag, e.g. \"v" + (i + 1) + "\"");
                Integer earlier = tagIndex.putIfAbsent(tag, i);
                if (earlier != null) {
                    throw new ProjectException(fileName + ": key \"" + path + ".tag\" repeats the tag \"" + tag
                            + "\" of migrations[" + earlier + "]; give each migration a unique tag");
                }
                if (entry.get("transferred_classes") != null
                        && !optionalTableList(entry, "transferred_classes", path + ".transferred_classes").isEmpty()) {
                    throw new ProjectException(fileName + ": migration \"" + tag + "\" sets " + path
                            + ".transferred_classes, which moves classes from another Worker; Mooring runs each "
                            + "project as one Worker and does not support that. Remove \"transferred_classes\"");
                }
                migrations.add(new Migration(
                        tag,
                        classNames(entry, "new_classes", path),
                        classNames(entry, "new_sqlite_classes", path),
                        renamedClasses(entry, path),
                        classNames(entry, "deleted_classes", path)));
            }
            return migrations;
        }

        private List<String> classNames(ObjectNode migration, String key, String migrationPath) throws ProjectException {
            String path = migrationPath + "." + key;
            List<String> names = optionalStringList(migration, key, path);
            for (String name : names) {
                if (name.isEmpty()) {
                    throw new ProjectException(fileName + ": key \"" + path + "\" contains an empty class name; "
                            + "remove it or write the class name");
                }
            }
            return names;
        }

        private List<Migration.RenamedClass> renamedClasses(ObjectNode migration, String migrationPath)
                throws ProjectException {
            String listPath = migrationPath + ".renamed_classes";
            List<ObjectNode> entries = optionalTableList(migration, "renamed_classes", listPath);
            List<Migration.RenamedClass> renamed = new ArrayList<>();
            for (int i = 0; i < entries.size(); i++) {
                ObjectNode entry = entries.get(i);
                String path = listPath + "[" + i + "]";
                noteUnsupportedKeys(entry, RENAMED_CLASS_KEYS, "migrations.renamed_classes");
                String from = requiredString(entry, "from", path + ".from", "set it to the class's old name");
                String to = requiredString(entry, "to", path + ".to", "set it to the class's new name");
                renamed.add(new Migration.RenamedClass(from, to));
            }
            return renamed;
        }

        // Reading helpers. `path` is the key's full path, used in messages. Unsupported keys are
        // grouped by a path without indexes, so one key repeated in many entries warns once.

        private void noteUnsupportedKeys(ObjectNode table, Set<String> known, String groupPath) {
            for (Map.Entry<String, JsonNode> property : table.properties()) {
                String key = property.getKey();
                if (!known.contains(key)) {
                    List<String> suggestions = Spelling.misspelledKey(key, known).stream().map(closest -> groupPath + "." + closest).toList();
                    unsupportedKeys.putIfAbsent(groupPath + "." + key, suggestions);
                }
            }
        }

        private String optionalString(ObjectNode table, String key, String path) throws ProjectException {
            JsonNode value = table.get(key);
            if (value == null) {
                return null;
            }
            if (!value.isTextual()) {
                throw wrongType(path, "a string", value);
            }
            return value.textValue();
        }

        private String requiredString(ObjectNode table, String key, String path, String hint) throws ProjectException {
            String value = optionalString(table, key, path);
            if (value == null) {
                throw new ProjectException(fileName + ": key \"" + path + "\" is missing; " + hint);
            }
            return value;
        }

        private Boolean optionalBoolean(ObjectNode table, String key, String path) throws ProjectException {
            JsonNode value = table.get(key);
            if (value == null) {
                return null;
            }
            if (!value.isBoolean()) {
                throw wrongType(path, "true or false", value);
            }
            return value.booleanValue();
        }

        private List<String> optionalStringList(ObjectNode table, String key, String path) throws ProjectException {
            JsonNode value = table.get(key);
            if (value == null) {
                return List.of();
            }
            if (!value.isArray()) {
                throw wrongType(path, "a list of strings", value);
            }
            List<String> strings = new ArrayList<>();
            for (JsonNode element : value) {
                if (!element.isTextual()) {
                    throw wrongType(path, "a list of strings", value);
                }
                strings.add(element.textValue());
            }
            return strings;
        }

        private ObjectNode optionalTable(ObjectNode table, String key, String path) throws ProjectException {
            JsonNode value = table.get(key);
            if (value == null) {
                return null;
            }
            if (!(value instanceof ObjectNode object)) {
                throw wrongType(path, "a table (an object in JSON)", value);
            }
            return object;
        }

        private List<ObjectNode> optionalTableList(ObjectNode table, String key, String path) throws ProjectException {
            JsonNode value = table.get(key);
            if (value == null) {
                return List.of();
            }
            if (!value.isArray()) {
                throw wrongType(path, "a list of tables (objects in JSON)", value);
            }
            List<ObjectNode> tables = new ArrayList<>();
            for (JsonNode element : value) {
                if (!(element instanceof ObjectNode object)) {
                    throw wrongType(path, "a list of tables (objects in JSON)", value);
                }
                tables.add(object);
            }
            return tables;
        }

        private ProjectException wrongType(String path, String expected, JsonNode value) {
            return new ProjectException(fileName + ": key \"" + path + "\" must be " + expected + ", not " + value);
        }

        private ProjectException invalid(String path, JsonNode value, String hint) {
            return new ProjectException(fileName + ": key \"" + path + "\" has the invalid value " + value + "; " + hint);
        }
    }
}
