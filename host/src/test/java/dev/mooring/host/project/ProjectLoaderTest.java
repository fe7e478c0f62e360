package dev.mooring.host.project;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.sandbox.ModuleBundle.ModuleType;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configuration files: which one is read, how each supported key is read, and what is warned about. */
class ProjectLoaderTest {

    @TempDir
    Path temporaryDirectory;

    private ProjectFixture project;

    @BeforeEach
    void createFixture() {
        project = new ProjectFixture(temporaryDirectory);
    }

    // --- Complete projects ---

    @Test
    void seedCounterApp() throws Exception {
        String sharedDir = System.getProperty("mooring.shared.dir");
        assertNotNull(sharedDir, "system property mooring.shared.dir is not set; surefire sets it from the pom");
        Path seed = Path.of(sharedDir, "seed", "counter-app");
        assertTrue(Files.isDirectory(seed), "seed project missing at " + seed);
        List<String> warnings = new java.util.ArrayList<>();

        Project loaded = new ProjectLoader(warnings::add).load(seed);

        assertEquals("seed-counter", loaded.name());
        assertEquals(seed.toRealPath(), loaded.directory());
        assertEquals(seed.toRealPath().resolve("wrangler.toml"), loaded.configFile());
        assertEquals(LocalDate.of(2024, 1, 1), loaded.compatibilityDate());
        assertEquals(List.of(), loaded.compatibilityFlags());
        assertEquals(Map.of(), loaded.vars());
        assertEquals(List.of(new DurableObjectBinding("COUNTER", "Counter")), loaded.durableObjectBindings());
        assertEquals(List.of(new Migration("v1", List.of("Counter"), List.of(), List.of(), List.of())), loaded.migrations());
        assertEquals(Map.of("Counter", StorageKind.KEY_VALUE), loaded.classStorageKinds());
        assertEquals("worker.js", loaded.bundle().mainModule());
        assertEquals(List.of("worker.js", "counter.js"), List.copyOf(loaded.bundle().modules().keySet()));
        assertEquals(ModuleType.ES_MODULE, loaded.bundle().modules().get("counter.js").type());
        assertEquals(Files.readString(seed.resolve("counter.js")), loaded.bundle().modules().get("counter.js").text());
        assertEquals(List.of(), loaded.warnings());
        assertEquals(List.of(), warnings);
    }

    @Test
    void chatDemoConfiguration() throws Exception {
        project.toml(
                        "name = \"edge-chat-demo\"",
                        "compatibility_date = \"2024-01-01\"",
                        "main = \"src/chat.mjs\"",
                        "",
                        "[durable_objects]",
                        "bindings = [",
                        "  { name = \"rooms\", class_name = \"ChatRoom\" },",
                        "  { name = \"limiters\", class_name = \"RateLimiter\" }",
                        "]",
                        "",
                        "[[rules]]",
                        "type = \"Data\"",
                        "globs = [\"**/*.html\"]",
                        "fallthrough = false",
                        "",
                        "[[migrations]]",
                        "tag = \"v1\"",
                        "new_sqlite_classes = [\"ChatRoom\", \"RateLimiter\"]")
                .file("src/chat.mjs", "import HTML from \"chat.html\";\nexport default {};\n")
                .file("src/chat.html", "<!doctype html>")
                .file("src/notes.txt", "kept by the default Text rule")
                .file("src/blob.bin", "dropped: the Data rule without fallthrough removes the default Data rule")
                .file("package.json", "{}");

        Project loaded = project.load();

        assertEquals("edge-chat-demo", loaded.name());
        assertEquals(List.of(
                new DurableObjectBinding("rooms", "ChatRoom"),
                new DurableObjectBinding("limiters", "RateLimiter")), loaded.durableObjectBindings());
        assertEquals(Map.of("ChatRoom", StorageKind.SQLITE, "RateLimiter", StorageKind.SQLITE), loaded.classStorageKinds());
        assertEquals(StorageKind.SQLITE, loaded.storageKindOf("ChatRoom"));
        assertNull(loaded.storageKindOf("Counter"));
        assertEquals("chat.mjs", loaded.bundle().mainModule());
        assertEquals(List.of("chat.mjs", "chat.html", "notes.txt"), List.copyOf(loaded.bundle().modules().keySet()));
        assertEquals(ModuleType.DATA, loaded.bundle().modules().get("chat.html").type());
        assertEquals(ModuleType.TEXT, loaded.bundle().modules().get("notes.txt").type());
        assertEquals(List.of(), project.warnings);
    }

    @Test
    void jsonConfiguration() throws Exception {
        project.file("wrangler.json", """
                {
                  "name": "counter",
                  "main": "worker.js",
                  "compatibility_date": "2024-01-01",
                  "durable_objects": { "bindings": [ { "name": "COUNTER", "class_name": "Counter" } ] },
                  "migrations": [ { "tag": "v1", "new_sqlite_classes": ["Counter"] } ]
                }
                """).file("worker.js", "export default {};");

        Project loaded = project.load();

        assertEquals(project.path("wrangler.json"), loaded.configFile());
        assertEquals("counter", loaded.name());
        assertEquals(List.of(new DurableObjectBinding("COUNTER", "Counter")), loaded.durableObjectBindings());
        assertEquals(Map.of("Counter", StorageKind.SQLITE), loaded.classStorageKinds());
        assertEquals(List.of(), project.warnings);
    }

    @Test
    void jsoncWithCommentsAndTrailingCommas() throws Exception {
        project.file("wrangler.jsonc", """
                /**
                 * Shaped like a current Cloudflare template.
                 */
                {
                  "$schema": "node_modules/wrangler/config-schema.json",
                  "name": "counter", // the Worker's name
                  "main": "src/index.js",
                  "compatibility_date": "2025-04-01",
                  "compatibility_flags": ["nodejs_compat",],
                  "vars": { "GREETING": "hello", },
                  "durable_objects": {
                    "bindings": [
                      { "name": "COUNTER", "class_name": "Counter", },
                    ],
                  },
                  "migrations": [
                    { "tag": "v1", "new_sqlite_classes": ["Counter"], },
                  ],
                }
                """).file("src/index.js", "export default {};");

        Project loaded = project.load();

        assertEquals(project.path("wrangler.jsonc"), loaded.configFile());
        assertEquals(LocalDate.of(2025, 4, 1), loaded.compatibilityDate());
        assertEquals(List.of("nodejs_compat"), loaded.compatibilityFlags());
        assertEquals(Map.of("GREETING", "hello"), loaded.vars());
        assertEquals("index.js", loaded.bundle().mainModule());
        assertEquals(1, project.warnings.size(), String.valueOf(project.warnings));
        assertTrue(project.warnings.getFirst().startsWith("wrangler.jsonc: compatibility flag nodejs_compat has no effect"),
                project.warnings.getFirst());
    }

    // --- Finding the configuration file ---

    @Test
    void configFileMissing() {
        project.file("worker.js", "export default {};");

        assertEquals("No wrangler.toml, wrangler.json or wrangler.jsonc found in " + project.directory
                + "; create one that sets at least \"main\", the path of the Worker's entry module", project.loadError());
    }

    @Test
    void projectDirectoryMissing() {
        Path missing = project.directory.resolve("absent");

        ProjectException error = assertThrows(ProjectException.class, () -> new ProjectLoader(w -> { }).load(missing));

        assertEquals("Project directory " + missing + " does not exist or is not a directory; pass the directory "
                + "that contains wrangler.toml", error.getMessage());
    }

    @Test
    void severalConfigFilesPreferJsonAsWranglerDoes() throws Exception {
        project.toml("name = \"from-toml\"", "main = \"worker.js\"")
                .file("wrangler.json", "{\"name\": \"from-json\", \"main\": \"worker.js\"}")
                .file("wrangler.jsonc", "{\"name\": \"from-jsonc\", \"main\": \"worker.js\"}")
                .file("worker.js", "export default {};");

        Project loaded = project.load();

        assertEquals("from-json", loaded.name());
        assertEquals(List.of(project.directory + " contains wrangler.json and wrangler.jsonc and wrangler.toml; "
                + "using wrangler.json and ignoring wrangler.jsonc and wrangler.toml"), project.warnings);
        assertEquals(project.warnings, loaded.warnings());
    }

    @Test
    void jsonPreferredOverJsonc() throws Exception {
        project.file("wrangler.json", "{\"name\": \"from-json\", \"main\": \"worker.js\"}")
                .file("wrangler.jsonc", "{\"name\": \"from-jsonc\", \"main\": \"worker.js\"}")
                .file("worker.js", "export default {};");

        assertEquals("from-json", project.load().name());
        assertEquals(List.of(project.directory + " contains wrangler.json and wrangler.jsonc; using wrangler.json "
                + "and ignoring wrangler.jsonc"), project.warnings);
    }

    @Test
    void invalidTomlSyntax() {
        project.toml("name = \"x\"", "main =");

        assertEquals("wrangler.toml is not valid TOML: Newline not permitted here (line 2, column 7)", project.loadError());
    }

    @Test
    void invalidJsonSyntax() {
        project.file("wrangler.json", "{\"main\": \"worker.js\", \"main\": \"other.js\"}");

        assertEquals("wrangler.json is not valid JSON (comments and trailing commas are allowed): "
                + "Duplicate field 'main' (line 1, column 29)", project.loadError());
    }

    @Test
    void jsonTopLevelNotObject() {
        project.file("wrangler.json", "[]");

        assertEquals("wrangler.json must contain an object at the top level, not array", project.loadError());
    }

    @Test
    void emptyJsonFile() {
        project.file("wrangler.json", "");

        assertEquals("wrangler.json must contain an object at the top level, not nothing", project.loadError());
    }

    // --- Unsupported keys ---

    @Test
    void unsupportedTopLevelKeysWarnOncePerKey() throws Exception {
        project.toml(
                        "name = \"app\"",
                        "main = \"worker.js\"",
                        "account_id = \"abc\"",
                        "workers_dev = true",
                        "routes = [\"example.com/*\"]",
                        "kv_namespaces = [ { binding = \"KV\", id = \"1\" }, { binding = \"KV2\", id = \"2\" } ]",
                        "[build]",
                        "command = \"npm run build\"",
                        "[site]",
                        "bucket = \"./public\"",
                        "[observability]",
                        "enabled = true",
                        "[env.production]",
                        "name = \"app-production\"",
                        "[env.staging]",
                        "name = \"app-staging\"")
                .file("worker.js", "export default {};");

        Project loaded = project.load();

        List<String> expected = List.of(
                "wrangler.toml: key \"account_id\" is not supported by Mooring and is ignored",
                "wrangler.toml: key \"workers_dev\" is not supported by Mooring and is ignored",
                "wrangler.toml: key \"routes\" is not supported by Mooring and is ignored",
                "wrangler.toml: key \"kv_namespaces\" is not supported by Mooring and is ignored",
                "wrangler.toml: key \"build\" is not supported by Mooring and is ignored",
                "wrangler.toml: key \"site\" is not supported by Mooring and is ignored",
                "wrangler.toml: key \"observability\" is not supported by Mooring and is ignored",
                "wrangler.toml: key \"env\" is not supported by Mooring and is ignored");
        assertEquals(expected, project.warnings);
        assertEquals(expected, loaded.warnings());
        assertEquals("app", loaded.name());
    }

    @Test
    void misspelledKeySuggestsSupportedKey() throws Exception {
        project.toml(
                        "name = \"app\"",
                        "main = \"worker.js\"",
                        "compatability_date = \"2024-01-01\"",
                        "[durable_object]",
                        "bindings = [ { name = \"STORE\", class_name = \"Store\" } ]",
                        "[[migrations]]",
                        "tag = \"v1\"",
                        "new_class = [\"Store\"]")
                .file("worker.js", "export default {};");

        project.load();

        assertEquals(List.of(
                "wrangler.toml: key \"compatability_date\" is not supported by Mooring and is ignored. Did you mean"
                        + " \"compatibility_date\"?",
                "wrangler.toml: key \"durable_object\" is not supported by Mooring and is ignored. Did you mean"
                        + " \"durable_objects\"?",
                "wrangler.toml: key \"migrations.new_class\" is not supported by Mooring and is ignored. Did you mean"
                        + " \"migrations.new_classes\"?"), project.warnings.subList(0, 3));
    }

    @Test
    void unsupportedNestedKeysWarnOncePerKey() throws Exception {
        project.toml(
                        "name = \"app\"",
                        "main = \"worker.js\"",
                        "[durable_objects]",
                        "bindings = [",
                        "  { name = \"A\", class_name = \"A\", experimental_remote = true },",
                        "  { name = \"B\", class_name = \"C\", experimental_remote = true },",
                        "]",
                        "extra = 1",
                        "[[rules]]",
                        "type = \"Text\"",
                        "globs = [\"**/*.md\"]",
                        "fallthrough = true",
                        "comment = \"markdown\"",
                        "[[migrations]]",
                        "tag = \"v1\"",
                        "new_classes = [\"A\", \"B\"]",
                        "note = \"first\"",
                        "[[migrations]]",
                        "tag = \"v2\"",
                        "renamed_classes = [ { from = \"B\", to = \"C\", why = \"clarity\" } ]",
                        "note = \"second\"")
                .file("worker.js", "export default {};");

        Project loaded = project.load();

        assertEquals(Map.of("A", StorageKind.KEY_VALUE, "C", StorageKind.KEY_VALUE), loaded.classStorageKinds());
        assertEquals(List.of(
                "wrangler.toml: key \"durable_objects.extra\" is not supported by Mooring and is ignored",
                "wrangler.toml: key \"durable_objects.bindings.experimental_remote\" is not supported by Mooring and is ignored",
                "wrangler.toml: key \"rules.comment\" is not supported by Mooring and is ignored",
                "wrangler.toml: key \"migrations.note\" is not supported by Mooring and is ignored",
                "wrangler.toml: key \"migrations.renamed_classes.why\" is not supported by Mooring and is ignored"),
                project.warnings);
    }

    @Test
    void bundlingKeysMatchingMooringAreSilent() throws Exception {
        project.toml("name = \"app\"", "main = \"worker.js\"", "no_bundle = true", "find_additional_modules = true")
                .file("worker.js", "export default {};");

        project.load();

        assertEquals(List.of(), project.warnings);
    }

    @Test
    void bundlingKeysContradictingMooringWarn() throws Exception {
        project.toml("name = \"app\"", "main = \"worker.js\"", "no_bundle = false", "find_additional_modules = false")
                .file("worker.js", "export default {};");

        project.load();

        assertEquals(List.of(
                "wrangler.toml: key \"no_bundle\" is not supported by Mooring and is ignored",
                "wrangler.toml: key \"find_additional_modules\" is not supported by Mooring and is ignored"),
                project.warnings);
    }

    // --- name, main, compatibility_date ---

    @Test
    void nameDefaultsToDirectoryName() throws Exception {
        ProjectFixture named = new ProjectFixture(Files.createDirectory(temporaryDirectory.resolve("My Chat_App")));
        named.toml("main = \"worker.js\"").file("worker.js", "export default {};");

        Project loaded = named.load();

        assertEquals("my-chat-app", loaded.name());
        assertEquals(List.of("wrangler.toml: key \"name\" is not set; using \"my-chat-app\", derived from the "
                + "directory name. Set \"name\" to choose the Worker's name"), named.warnings);
    }

    @Test
    void nodeCompatFlagWarns() throws Exception {
        project.toml("name = \"app\"", "main = \"worker.js\"", "compatibility_flags = [\"nodejs_compat\", \"url_standard\"]")
                .file("worker.js", "export default {};");

        Project loaded = project.load();

        assertEquals(List.of("nodejs_compat", "url_standard"), loaded.compatibilityFlags());
        assertEquals(List.of("wrangler.toml: compatibility flag nodejs_compat has no effect: Mooring does not provide"
                + " Node.js built-in modules, so an import of \"node:buffer\" and the like fails. Bundle a plain JavaScript"
                + " replacement into the project if the script needs one"), project.warnings);
    }

    @Test
    void nameInvalid() {
        project.toml("name = \"My App\"", "main = \"worker.js\"").file("worker.js", "export default {};");

        assertEquals("wrangler.toml: key \"name\" has the invalid value \"My App\"; a Worker name contains only "
                + "lowercase letters, digits, \"-\" and \"_\", e.g. \"my-app\"", project.loadError());
    }

    @Test
    void mainMissing() {
        project.toml("name = \"app\"");

        assertEquals("wrangler.toml: key \"main\" is missing; set it to the path of the Worker's entry module, "
                + "relative to the project directory, e.g. \"src/index.js\"", project.loadError());
    }

    @Test
    void mainWrongType() {
        project.toml("name = \"app\"", "main = 42");

        assertEquals("wrangler.toml: key \"main\" must be a string, not 42", project.loadError());
    }

    @Test
    void compatibilityDateInvalid() {
        project.toml("main = \"worker.js\"", "name = \"app\"", "compatibility_date = \"2024-13-01\"")
                .file("worker.js", "export default {};");

        assertEquals("wrangler.toml: key \"compatibility_date\" has the invalid value \"2024-13-01\"; use a date of "
                + "the form YYYY-MM-DD, e.g. \"2024-01-01\"", project.loadError());
    }

    @Test
    void compatibilityDateAsTomlLocalDate() throws Exception {
        project.toml("main = \"worker.js\"", "name = \"app\"", "compatibility_date = 2024-04-03")
                .file("worker.js", "export default {};");

        assertEquals(LocalDate.of(2024, 4, 3), project.load().compatibilityDate());
    }

    @Test
    void compatibilityDateAbsent() throws Exception {
        project.toml("main = \"worker.js\"", "name = \"app\"").file("worker.js", "export default {};");

        assertNull(project.load().compatibilityDate());
    }

    @Test
    void compatibilityFlagsWrongType() {
        project.toml("main = \"worker.js\"", "name = \"app\"", "compatibility_flags = \"nodejs_compat\"")
                .file("worker.js", "export default {};");

        assertEquals("wrangler.toml: key \"compatibility_flags\" must be a list of strings, not \"nodejs_compat\"",
                project.loadError());
    }

    // --- vars ---

    @Test
    void varsKeepStringsAndJsonValues() throws Exception {
        project.toml(
                        "name = \"app\"",
                        "main = \"worker.js\"",
                        "[vars]",
                        "GREETING = \"hello\"",
                        "RETRIES = 3",
                        "HUGE = 123456789012345678901",
                        "RATIO = 0.5",
                        "ENABLED = true",
                        "HOSTS = [\"a\", \"b\"]",
                        "[vars.LIMITS]",
                        "per_minute = 5",
                        "names = { first = \"x\" }")
                .file("worker.js", "export default {};");

        Map<String, Object> vars = project.load().vars();

        assertEquals(List.of("GREETING", "RETRIES", "HUGE", "RATIO", "ENABLED", "HOSTS", "LIMITS"), List.copyOf(vars.keySet()));
        assertEquals("hello", vars.get("GREETING"));
        assertEquals(3L, vars.get("RETRIES"));
        assertEquals(new BigInteger("123456789012345678901"), vars.get("HUGE"));
        assertEquals(0.5, vars.get("RATIO"));
        assertEquals(true, vars.get("ENABLED"));
        assertEquals(List.of("a", "b"), vars.get("HOSTS"));
        assertEquals(Map.of("per_minute", 5L, "names", Map.of("first", "x")), vars.get("LIMITS"));
        assertThrows(UnsupportedOperationException.class, () -> vars.put("X", "y"));
        @SuppressWarnings("unchecked")
        List<Object> hosts = (List<Object>) vars.get("HOSTS");
        assertThrows(UnsupportedOperationException.class, () -> hosts.add("c"));
    }

    @Test
    void varsJsonNull() throws Exception {
        project.file("wrangler.json", "{\"name\": \"app\", \"main\": \"worker.js\", \"vars\": {\"NOTHING\": null}}")
                .file("worker.js", "export default {};");

        Map<String, Object> vars = project.load().vars();

        assertTrue(vars.containsKey("NOTHING"));
        assertNull(vars.get("NOTHING"));
    }

    @Test
    void varsNotTable() {
        project.toml("name = \"app\"", "main = \"worker.js\"", "vars = \"x\"").file("worker.js", "export default {};");

        assertEquals("wrangler.toml: key \"vars\" must be a table (an object in JSON), not \"x\"", project.loadError());
    }

    @Test
    void varAndBindingSameName() {
        project.toml(
                        "name = \"app\"",
                        "main = \"worker.js\"",
                        "[vars]",
                        "rooms = \"x\"",
                        "[durable_objects]",
                        "bindings = [ { name = \"rooms\", class_name = \"ChatRoom\" } ]")
                .file("worker.js", "export default {};");

        assertEquals("wrangler.toml: key \"durable_objects.bindings[0].name\" has the value \"rooms\", which is also "
                + "the name of a var; rename the var or the binding, because both become env.rooms", project.loadError());
    }

    // --- durable_objects ---

    @Test
    void bindingNameRepeated() {
        project.toml(
                        "name = \"app\"",
                        "main = \"worker.js\"",
                        "[durable_objects]",
                        "bindings = [",
                        "  { name = \"rooms\", class_name = \"ChatRoom\" },",
                        "  { name = \"rooms\", class_name = \"OtherRoom\" },",
                        "]")
                .file("worker.js", "export default {};");

        assertEquals("wrangler.toml: key \"durable_objects.bindings[1].name\" repeats the binding name \"rooms\" of "
                + "durable_objects.bindings[0]; give each binding a unique name", project.loadError());
    }

    @Test
    void bindingNameNotIdentifier() {
        project.toml(
                        "name = \"app\"",
                        "main = \"worker.js\"",
                        "[durable_objects]",
                        "bindings = [ { name = \"chat-rooms\", class_name = \"ChatRoom\" } ]")
                .file("worker.js", "export default {};");

        assertEquals("wrangler.toml: key \"durable_objects.bindings[0].name\" has the invalid value \"chat-rooms\"; "
                + "a binding name must be a JavaScript identifier that is not a reserved word, e.g. \"chat_rooms\"",
                project.loadError());
    }

    @Test
    void bindingNameReservedWord() {
        project.toml(
                        "name = \"app\"",
                        "main = \"worker.js\"",
                        "[durable_objects]",
                        "bindings = [ { name = \"class\", class_name = \"ChatRoom\" } ]")
                .file("worker.js", "export default {};");

        assertEquals("wrangler.toml: key \"durable_objects.bindings[0].name\" has the invalid value \"class\"; "
                + "a binding name must be a JavaScript identifier that is not a reserved word, e.g. \"_class\"",
                project.loadError());
    }

    @Test
    void bindingClassNameMissing() {
        project.toml(
                        "name = \"app\"",
                        "main = \"worker.js\"",
                        "[durable_objects]",
                        "bindings = [ { name = \"ROOMS\" } ]")
                .file("worker.js", "export default {};");

        assertEquals("wrangler.toml: key \"durable_objects.bindings[0].class_name\" is missing; set it to the name of "
                + "the exported Durable Object class, e.g. \"Counter\"", project.loadError());
    }

    @Test
    void bindingToAnotherWorker() {
        project.toml(
                        "name = \"app\"",
                        "main = \"worker.js\"",
                        "[durable_objects]",
                        "bindings = [ { name = \"ROOMS\", class_name = \"ChatRoom\", script_name = \"chat\" } ]")
                .file("worker.js", "export default {};");

        assertEquals("wrangler.toml: durable object binding \"ROOMS\" sets durable_objects.bindings[0].script_name = "
                + "\"chat\", which binds a class of another Worker; Mooring runs each project as one Worker and does "
                + "not support that. Define the class in this project and remove \"script_name\"", project.loadError());
    }

    @Test
    void bindingToAnotherWorkersEnvironment() {
        project.toml(
                        "name = \"app\"",
                        "main = \"worker.js\"",
                        "[durable_objects]",
                        "bindings = [ { name = \"ROOMS\", class_name = \"ChatRoom\", script_name = \"app\", environment = \"staging\" } ]")
                .file("worker.js", "export default {};");

        assertEquals("wrangler.toml: durable object binding \"ROOMS\" sets durable_objects.bindings[0].environment = "
                + "\"staging\", which binds a class of an environment of another Worker; Mooring runs each project as "
                + "one Worker and does not support that. Define the class in this project and remove \"environment\" "
                + "and \"script_name\"", project.loadError());
    }

    @Test
    void bindingScriptNameOfThisWorker() throws Exception {
        project.toml(
                        "name = \"app\"",
                        "main = \"worker.js\"",
                        "[durable_objects]",
                        "bindings = [ { name = \"ROOMS\", class_name = \"ChatRoom\", script_name = \"app\" } ]",
                        "[[migrations]]",
                        "tag = \"v1\"",
                        "new_sqlite_classes = [\"ChatRoom\"]")
                .file("worker.js", "export default {};");

        assertEquals(List.of(new DurableObjectBinding("ROOMS", "ChatRoom")), project.load().durableObjectBindings());
        assertEquals(List.of(), project.warnings);
    }

    @Test
    void bindingsNotList() {
        project.toml("name = \"app\"", "main = \"worker.js\"", "[durable_objects]", "bindings = \"ROOMS\"")
                .file("worker.js", "export default {};");

        assertEquals("wrangler.toml: key \"durable_objects.bindings\" must be a list of tables (objects in JSON), "
                + "not \"ROOMS\"", project.loadError());
    }

    // --- rules ---

    @Test
    void ruleTypeInvalid() {
        project.toml("name = \"app\"", "main = \"worker.js\"", "[[rules]]", "type = \"Wasm\"", "globs = [\"**/*.wasm\"]")
                .file("worker.js", "export default {};");

        assertEquals("wrangler.toml: key \"rules[0].type\" has the invalid value \"Wasm\"; use one of ESModule, "
                + "CommonJS, CompiledWasm, Text, Data", project.loadError());
    }

    @Test
    void ruleGlobsMissing() {
        project.toml("name = \"app\"", "main = \"worker.js\"", "[[rules]]", "type = \"Text\"")
                .file("worker.js", "export default {};");

        assertEquals("wrangler.toml: key \"rules[0].globs\" is missing; list the files the rule applies to, "
                + "e.g. [\"**/*.html\"]", project.loadError());
    }

    @Test
    void ruleFallthroughWrongType() {
        project.toml("name = \"app\"", "main = \"worker.js\"", "[[rules]]", "type = \"Text\"", "globs = [\"*.md\"]",
                        "fallthrough = \"yes\"")
                .file("worker.js", "export default {};");

        assertEquals("wrangler.toml: key \"rules[0].fallthrough\" must be true or false, not \"yes\"", project.loadError());
    }
}
