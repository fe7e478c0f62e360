package dev.mooring.host.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mooring.host.deploy.DeployedClasses;
import dev.mooring.host.deploy.MigrationResult;
import dev.mooring.host.deploy.MultipartWriter;
import dev.mooring.host.deploy.ScriptUpload;
import dev.mooring.host.deploy.UploadLimits;
import dev.mooring.host.project.ScriptDefinition;
import dev.mooring.host.project.StorageKind;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Which uploads count as identical to the serving version: the same upload and a reordered one do,
 * and each single change to modules, bindings, vars, compatibility date or migrations does not.
 */
class VersionComparisonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One module part of an upload. */
    private record Part(String contentType, byte[] content) {
        static Part of(String contentType, String content) {
            return new Part(contentType, content.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** One upload to compare with the serving version, and the part of the difference expected, or null for none. */
    private record Case(String name, Consumer<ObjectNode> metadataChange, Consumer<Map<String, Part>> moduleChange,
            String expectedDifference) {}

    private static final String BASELINE_METADATA = """
            {"main_module": "worker.js", "compatibility_date": "2024-09-01",
             "bindings": [
               {"type": "durable_object_namespace", "name": "COUNTER", "class_name": "Counter"},
               {"type": "durable_object_namespace", "name": "OTHER", "class_name": "Other"},
               {"type": "plain_text", "name": "GREETING", "text": "hello"},
               {"type": "json", "name": "LIMITS", "json": {"max": 10, "ratio": 0.5, "tags": ["a", 2]}}
             ]}
            """;

    private static Map<String, Part> baselineModules() {
        Map<String, Part> modules = new LinkedHashMap<>();
        modules.put("worker.js", Part.of(ScriptUpload.ES_MODULE_TYPE, "export class Counter {}\nexport class Other {}\n"
                + "export default { fetch() { return new Response('ok'); } };\n"));
        modules.put("lib.js", Part.of(ScriptUpload.ES_MODULE_TYPE, "export const answer = 42;\n"));
        modules.put("notes.txt", Part.of(ScriptUpload.TEXT_MODULE_TYPE, "some notes\n"));
        modules.put("blob.bin", new Part(ScriptUpload.DATA_MODULE_TYPE, new byte[] {0, 1, 2, (byte) 0xff}));
        return modules;
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("same upload", metadata -> {}, modules -> {}, null));
        cases.add(new Case("parts in another order", metadata -> {}, modules -> {
            Part worker = modules.remove("worker.js");
            modules.put("worker.js", worker);
        }, null));

        cases.add(new Case("one byte of an ES module", metadata -> {}, modules -> modules.put("lib.js",
                Part.of(ScriptUpload.ES_MODULE_TYPE, "export const answer = 43;\n")), "content of module lib.js"));
        cases.add(new Case("one byte of a Data module", metadata -> {}, modules -> modules.put("blob.bin",
                new Part(ScriptUpload.DATA_MODULE_TYPE, new byte[] {0, 1, 2, (byte) 0xfe})), "content of module blob.bin"));
        cases.add(new Case("Text module sent as Data", metadata -> {}, modules -> modules.put("notes.txt",
                Part.of(ScriptUpload.DATA_MODULE_TYPE, "some notes\n")), "type of module notes.txt"));
        cases.add(new Case("module added", metadata -> {}, modules -> modules.put("extra.js",
                Part.of(ScriptUpload.ES_MODULE_TYPE, "export {};\n")), "module names"));
        cases.add(new Case("module removed", metadata -> {}, modules -> modules.remove("lib.js"), "module names"));
        cases.add(new Case("module renamed", metadata -> {}, modules -> modules.put("lib2.js", modules.remove("lib.js")),
                "module names"));
        cases.add(new Case("main module", metadata -> metadata.put("main_module", "lib.js"), modules -> {},
                "main module"));

        cases.add(new Case("compatibility date changed", metadata -> metadata.put("compatibility_date", "2024-09-02"),
                modules -> {}, "compatibility date"));
        cases.add(new Case("compatibility date removed", metadata -> metadata.remove("compatibility_date"),
                modules -> {}, "compatibility date"));

        cases.add(new Case("binding renamed", metadata -> binding(metadata, 0).put("name", "COUNTERS"), modules -> {},
                "bindings"));
        cases.add(new Case("binding to another class", metadata -> binding(metadata, 0).put("class_name", "Other"),
                modules -> {}, "bindings"));
        cases.add(new Case("binding removed", metadata -> bindings(metadata).remove(1), modules -> {}, "bindings"));
        cases.add(new Case("bindings reordered", metadata -> bindings(metadata).insert(0, bindings(metadata).remove(1)),
                modules -> {}, "bindings"));

        cases.add(new Case("plain_text var changed", metadata -> binding(metadata, 2).put("text", "hellO"), modules -> {},
                "vars"));
        cases.add(new Case("json var nested number changed",
                metadata -> ((ObjectNode) binding(metadata, 3).get("json")).put("max", 11), modules -> {}, "vars"));
        cases.add(new Case("json var array element changed",
                metadata -> ((ArrayNode) binding(metadata, 3).get("json").get("tags")).set(1, 3), modules -> {}, "vars"));
        cases.add(new Case("var removed", metadata -> bindings(metadata).remove(2), modules -> {}, "vars"));
        cases.add(new Case("var added", metadata -> bindings(metadata).addObject().put("type", "plain_text")
                .put("name", "EXTRA").put("text", "x"), modules -> {}, "vars"));

        cases.add(new Case("migration creates a class", metadata -> metadata.set("migrations", json(
                "{\"old_tag\": \"v1\", \"new_tag\": \"v2\", \"new_classes\": [\"Third\"]}")), modules -> {},
                "migrations change"));
        cases.add(new Case("migration changes only the tag", metadata -> metadata.set("migrations", json(
                "{\"old_tag\": \"v1\", \"new_tag\": \"v2\", \"steps\": []}")), modules -> {}, "migration tag"));
        return cases;
    }

    @Test
    void eachChangeIsFoundAndNothingElse() throws Exception {
        ScriptVersion serving = servingVersion();
        List<String> mismatches = new ArrayList<>();

        for (Case test : cases()) {
            ObjectNode metadata = (ObjectNode) json(BASELINE_METADATA);
            test.metadataChange().accept(metadata);
            Map<String, Part> modules = baselineModules();
            test.moduleChange().accept(modules);
            ScriptUpload upload = upload(metadata, modules);
            MigrationResult migration = upload.migrate(VersionComparison.classesOf(serving));
            ScriptDefinition definition = upload.definition(migration.classes());

            Optional<String> difference = VersionComparison.firstDifference(serving, definition, migration);

            String expected = test.expectedDifference();
            boolean matches = expected == null ? difference.isEmpty()
                    : difference.isPresent() && difference.get().contains(expected);
            if (!matches) {
                mismatches.add(test.name() + ": expected " + (expected == null ? "no difference" : "\"" + expected + "\"")
                        + ", got " + difference.orElse("no difference"));
            }
        }

        assertEquals(List.of(), mismatches);
    }

    @Test
    void classesOfReturnsTagAndStorageKinds() throws Exception {
        ScriptVersion serving = servingVersion();

        DeployedClasses classes = VersionComparison.classesOf(serving);

        assertEquals("v1", classes.migrationTag());
        assertEquals(Map.of("Counter", StorageKind.KEY_VALUE, "Other", StorageKind.KEY_VALUE), classes.classes());
    }

    /** The baseline uploaded as the first version, with migrations that create both classes. */
    private static ScriptVersion servingVersion() throws Exception {
        ObjectNode metadata = (ObjectNode) json(BASELINE_METADATA);
        metadata.set("migrations", json("{\"new_tag\": \"v1\", \"new_classes\": [\"Counter\", \"Other\"]}"));
        ScriptUpload first = upload(metadata, baselineModules());
        MigrationResult migration = first.migrate(DeployedClasses.NONE);
        ScriptDefinition definition = first.definition(migration.classes());
        Map<String, DeployedClass> classes = new LinkedHashMap<>();
        migration.classes().classes().forEach((name, kind) -> classes.put(name, new DeployedClass(kind, "ns-" + name)));
        return new ScriptVersion(1, Instant.now(), definition, classes, migration.classes().migrationTag(),
                Set.of("ns-Counter", "ns-Other"), List.of(), first.warnings());
    }

    private static ScriptUpload upload(ObjectNode metadata, Map<String, Part> modules) throws Exception {
        MultipartWriter writer = new MultipartWriter();
        writer.add(ScriptUpload.METADATA_PART, null, "application/json", JSON.writeValueAsBytes(metadata));
        modules.forEach((name, part) -> writer.add(name, name, part.contentType(), part.content()));
        return ScriptUpload.parse("compared", writer.contentType(), writer.toByteArray(), UploadLimits.DEFAULTS);
    }

    private static ArrayNode bindings(ObjectNode metadata) {
        return (ArrayNode) metadata.get("bindings");
    }

    private static ObjectNode binding(ObjectNode metadata, int index) {
        return (ObjectNode) bindings(metadata).get(index);
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("Invalid JSON in the test: " + text, e);
        }
    }
}
