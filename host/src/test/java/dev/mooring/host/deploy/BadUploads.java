package dev.mooring.host.deploy;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.mooring.host.project.StorageKind;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Bad uploads of the script {@value #SCRIPT} and Mooring's response to each, in a form that
 * can be replayed against the admin API: send {@link #baseline()} first, then each case with
 * {@code PUT /scripts/<case.scriptName()>}; every case must get its status with a message that
 * contains its expected part, and the baseline must keep serving.
 *
 * <p>Every case is judged against the baseline's classes ({@link #baselineClasses()}): the
 * Durable Object class {@code Counter} with the key-value backend, reached with migration tag
 * {@code "v1"}. Cases marked {@code needsRuntime} are well-formed uploads whose fault only shows
 * when the runtime loads their modules; their expected parts are the messages of
 * {@link dev.mooring.sandbox.ScriptLoadException} that the runtime gives today.
 */
public final class BadUploads {

    /** The script every case uploads to, except the one with an invalid name. */
    public static final String SCRIPT = "counter";

    /**
     * One bad upload.
     *
     * @param name                what the case pins down
     * @param scriptName          the script name in the URL
     * @param contentType         the request's Content-Type, or null for none
     * @param body                the request body
     * @param expectedStatus      the HTTP status of the response
     * @param expectedMessagePart text the response's message must contain
     * @param needsRuntime        whether only loading the modules finds the fault
     */
    public record Case(String name, String scriptName, String contentType, byte[] body, int expectedStatus,
            String expectedMessagePart, boolean needsRuntime) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A well-formed upload: its Content-Type and body. */
    public record Upload(String contentType, byte[] body) {}

    static final String WORKER = """
            export class Counter {
              constructor(state) {
                this.state = state;
              }
              async fetch(request) {
                const value = ((await this.state.storage.get("value")) ?? 0) + 1;
                await this.state.storage.put("value", value);
                return new Response(String(value));
              }
            }

            export default {
              fetch(request, env) {
                return env.COUNTER.get(env.COUNTER.idFromName("a")).fetch(request);
              }
            };
            """;

    private static final String BOUNDARY = "bad-upload-boundary";
    private static final String CONTENT_TYPE = "multipart/form-data; boundary=" + BOUNDARY;
    private static final String COUNTER_BINDING =
            "{'type': 'durable_object_namespace', 'name': 'COUNTER', 'class_name': 'Counter'}";
    private static final String GREETING_BINDING = "{'type': 'plain_text', 'name': 'GREETING', 'text': 'hello'}";
    private static final String METADATA = metadata("");

    private BadUploads() {
    }

    /** Returns the first version of {@value #SCRIPT}, which every case is sent after. */
    public static Upload baseline() {
        return upload(metadata(", 'migrations': {'new_tag': 'v1', 'new_classes': ['Counter']}"), es("worker.js", WORKER));
    }

    /** Returns the classes of {@value #SCRIPT} after the baseline. */
    public static DeployedClasses baselineClasses() {
        return new DeployedClasses("v1", Map.of("Counter", StorageKind.KEY_VALUE));
    }

    /** Returns every case, in a fixed order. */
    public static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        addRequestCases(cases);
        addMetadataCases(cases);
        addBindingCases(cases);
        addMigrationCases(cases);
        addModuleCases(cases);
        addRuntimeCases(cases);
        return cases;
    }

    // ---- Request and multipart syntax -----------------------------------------------------------

    private static void addRequestCases(List<Case> cases) {
        byte[] good = wellFormed().body();
        // The Content-Type header.
        cases.add(new Case("contentTypeMissing", SCRIPT, null, good, 415, "The request has no Content-Type header", false));
        cases.add(new Case("contentTypeJson", SCRIPT, "application/json", good, 415,
                "The request's Content-Type is \"application/json\"", false));
        cases.add(new Case("boundaryMissing", SCRIPT, "multipart/form-data", good, 400, "has no boundary parameter", false));
        cases.add(new Case("boundaryTooLong", SCRIPT, "multipart/form-data; boundary=" + "b".repeat(71), good, 400,
                "has 71 characters", false));
        cases.add(new Case("boundaryInvalidCharacter", SCRIPT, "multipart/form-data; boundary=abc@def", good, 400,
                "contains the character \"@\" (U+0040)", false));

        // The body around the parts.
        cases.add(raw("bodyEmpty", "", 400, "The body is empty"));
        cases.add(new Case("boundaryMismatch", SCRIPT, "multipart/form-data; boundary=other", good, 400,
                "contains no delimiter line \"--other\"", false));
        cases.add(raw("bareLineFeeds", wellFormedText().replace("\r\n", "\n"), 400, "ends with LF alone"));
        String text = wellFormedText();
        cases.add(raw("closingDelimiterMissing", text.substring(0, text.indexOf("export default")), 400,
                "is not followed by a delimiter line"));
        cases.add(raw("bodyEndsAfterDelimiter", text.substring(0, text.lastIndexOf("--" + BOUNDARY) + 2 + BOUNDARY.length()),
                400, "ends after a delimiter line without the closing delimiter"));

        // Part headers.
        cases.add(raw("contentDispositionMissing", body(metadataPart(), part("Content-Type: application/javascript+module",
                WORKER)), 400, "Part 2 has no Content-Disposition header"));
        cases.add(raw("partNameMissing", body(metadataPart(), part("Content-Disposition: form-data; filename=\"worker.js\"\r\n"
                + "Content-Type: application/javascript+module", WORKER)), 400, "has no name parameter"));
        cases.add(raw("dispositionNotFormData", body(metadataPart(), part("Content-Disposition: attachment; name=\"worker.js\""
                + "\r\nContent-Type: application/javascript+module", WORKER)), 400, "is \"attachment\", not \"form-data\""));
        cases.add(raw("partNameQuoteUnclosed", body(metadataPart(), part("Content-Disposition: form-data; name=\"worker.js\r\n"
                + "Content-Type: application/javascript+module", WORKER)), 400, "quoted value that is not closed"));
        cases.add(raw("headerLineWithoutColon", body(metadataPart(), part("Content-Disposition: form-data; name=\"worker.js\""
                + "\r\nContent-Type application/javascript+module", WORKER)), 400, "has no header name and colon"));
        cases.add(raw("headerLineFolded", body(metadataPart(), part("Content-Disposition: form-data;\r\n name=\"worker.js\""
                + "\r\nContent-Type: application/javascript+module", WORKER)), 400, "obsolete line folding"));
        cases.add(raw("headerBlockTooLarge", body(metadataPart(), part(moduleHeaders("worker.js", "application/javascript+module")
                + "\r\nX-Padding: " + "x".repeat(9000), WORKER)), 400, "larger than 8192 bytes"));
        cases.add(raw("transferEncodingBase64", body(metadataPart(), part(moduleHeaders("worker.js", "application/javascript+module")
                + "\r\nContent-Transfer-Encoding: base64", WORKER)), 400, "Content-Transfer-Encoding: base64"));

        // Limits and the script name.
        cases.add(upload("bodyTooLarge", METADATA, 413, "larger than 10485760 bytes (10 MiB), the maximum this server accepts; leave files the Worker does not"
                + " import out of the upload, or ask the operator to raise --max-upload-body",
                es("worker.js", WORKER), data("padding.bin", new byte[(int) UploadLimits.DEFAULT_MAX_BODY_BYTES])));
        // Far over the limit: the admin API must respond with 413 before Undertow's own cap cuts the body off.
        cases.add(upload("bodyFarTooLarge", METADATA, 413, "larger than 10485760 bytes (10 MiB), the maximum this server accepts",
                es("worker.js", WORKER), data("padding.bin", new byte[(int) UploadLimits.DEFAULT_MAX_BODY_BYTES + (2 << 20)])));
        ModulePart[] tinyModules = new ModulePart[5000];
        tinyModules[0] = es("worker.js", WORKER);
        for (int i = 1; i < tinyModules.length; i++) {
            tinyModules[i] = es("tiny/m" + i + ".js", "export default " + i + ";\n");
        }
        cases.add(upload("thousandsOfTinyModules", METADATA, 413, "more than 1001 parts, the maximum: one metadata part "
                + "and at most 1000 modules. Combine small modules into fewer files, or ask the operator to raise --max-upload-modules",
                tinyModules));
        Upload named = wellFormed();
        cases.add(new Case("scriptNameInvalid", "My Counter", named.contentType(), named.body(), 400,
                "The script name \"My Counter\" is invalid", false));
    }

    // ---- Metadata -------------------------------------------------------------------------------

    private static void addMetadataCases(List<Case> cases) {
        ModulePart worker = es("worker.js", WORKER);
        cases.add(raw("metadataMissing", body(part(moduleHeaders("worker.js", "application/javascript+module"), WORKER)),
                400, "has no part named \"metadata\""));
        cases.add(raw("metadataTwice", body(metadataPart(), metadataPart(), part(moduleHeaders("worker.js",
                "application/javascript+module"), WORKER)), 400, "Parts 1 and 2 are both named \"metadata\""));
        cases.add(upload("metadataEmpty", "", 400, "The metadata part is empty", worker));
        cases.add(upload("metadataInvalidJson", "{\"main_module\": \"worker.js\",}", 400,
                "The metadata part is not valid JSON at line 1, column 29", worker));
        cases.add(upload("metadataTrailingText", "{\"main_module\": \"worker.js\"} x", 400,
                "The metadata part is not valid JSON", worker));
        cases.add(upload("metadataNotObject", "[\"worker.js\"]", 400, "must be a JSON object, not array", worker));
        cases.add(upload("metadataDuplicateKey", "{\"main_module\": \"worker.js\", \"main_module\": \"other.js\"}", 400,
                "Duplicate field 'main_module'", worker));
        cases.add(upload("metadataTooLarge", metadata(", 'padding': '" + "x".repeat(1 << 20) + "'"), 413,
                "The metadata part is larger than 1048576 bytes (1 MiB)", worker));
        cases.add(upload("mainModuleMissing", json("{'compatibility_date': '2024-01-01'}"), 400,
                "metadata: key \"main_module\" is missing", worker));
        cases.add(upload("serviceWorkerFormat", json("{'body_part': 'worker.js'}"), 400,
                "selects the service-worker format, which Mooring does not support", worker));
        cases.add(upload("mainModuleNotAPart", metadata("").replace("worker.js", "index.js"), 400,
                "names \"index.js\", but no module has that name; the upload's modules are \"worker.js\"", worker));
        cases.add(upload("mainModuleIsText", METADATA, 400, "which part 2 sends as a Text module",
                text("worker.js", WORKER)));
        cases.add(upload("moduleMissing", METADATA, 400, "but the upload has no module parts"));
        cases.add(upload("compatibilityDateInvalid", metadata("").replace("2024-01-01", "2024-13-01"), 400,
                "key \"compatibility_date\" has the invalid value \"2024-13-01\"", worker));
        cases.add(upload("compatibilityFlagsNotStrings", metadata(", 'compatibility_flags': [1]"), 400,
                "key \"compatibility_flags\" must be an array of strings", worker));
    }

    // ---- Bindings -------------------------------------------------------------------------------

    private static void addBindingCases(List<Case> cases) {
        ModulePart worker = es("worker.js", WORKER);
        cases.add(upload("bindingsNotArray", json("{'main_module': 'worker.js', 'bindings': {}}"), 400,
                "key \"bindings\" must be an array of objects", worker));
        cases.add(upload("bindingTypeUnknown", bindings(COUNTER_BINDING,
                "{'type': 'kv_namespace', 'name': 'CACHE', 'namespace_id': 'abc'}"), 400,
                "is \"kv_namespace\", a binding type Mooring does not support", worker));
        cases.add(upload("bindingTypeMissing", bindings("{'name': 'COUNTER', 'class_name': 'Counter'}"), 400,
                "key \"bindings[0].type\" is missing", worker));
        cases.add(upload("bindingNameNotIdentifier", bindings(COUNTER_BINDING.replace("'COUNTER'", "'MY-COUNTER'")), 400,
                "key \"bindings[0].name\" has the invalid value \"MY-COUNTER\"", worker));
        cases.add(upload("bindingNameRepeated", bindings(COUNTER_BINDING,
                "{'type': 'plain_text', 'name': 'COUNTER', 'text': 'x'}"), 400,
                "key \"bindings[1].name\" repeats the binding name \"COUNTER\" of bindings[0]", worker));
        cases.add(upload("bindingToOtherScript", bindings(COUNTER_BINDING.replace("}", ", 'script_name': 'other'}")), 400,
                "which binds a class of another script; Mooring does not support bindings across scripts", worker));
        cases.add(upload("bindingByNamespaceId", bindings("{'type': 'durable_object_namespace', 'name': 'COUNTER', "
                + "'namespace_id': '0f2d6e4c'}"), 400, "names a namespace by namespace_id", worker));
        cases.add(upload("bindingClassNameMissing", bindings("{'type': 'durable_object_namespace', 'name': 'COUNTER'}"),
                400, "key \"bindings[0].class_name\" is missing", worker));
        cases.add(upload("plainTextWithoutText", bindings(COUNTER_BINDING, "{'type': 'plain_text', 'name': 'GREETING'}"),
                400, "key \"bindings[1].text\" is missing", worker));
        cases.add(upload("jsonWithoutJson", bindings(COUNTER_BINDING, "{'type': 'json', 'name': 'LIMITS'}"), 400,
                "key \"bindings[1].json\" is missing", worker));
        cases.add(upload("bindingToUncreatedClass", bindings(COUNTER_BINDING,
                "{'type': 'durable_object_namespace', 'name': 'ROOMS', 'class_name': 'Room'}"), 400,
                "key \"bindings[1].class_name\" names the class \"Room\", which does not exist: no migration creates it",
                worker));
        cases.add(upload("bindingToMisspelledCreatedClass", bindings(COUNTER_BINDING,
                "{'type': 'durable_object_namespace', 'name': 'MORE', 'class_name': 'Countr'}"), 400,
                "no migration creates it. Did you mean Counter? To create it, add a migration: in wrangler.toml, [[migrations]]",
                worker));
    }

    // ---- Migrations -----------------------------------------------------------------------------

    private static void addMigrationCases(List<Case> cases) {
        ModulePart worker = es("worker.js", WORKER);
        cases.add(upload("migrationOldTagMissing", metadata(", 'migrations': {'new_tag': 'v2', 'new_classes': ['Room']}"),
                409, "key \"migrations.old_tag\" is missing, but script \"counter\" is deployed with migration tag \"v1\"",
                worker));
        cases.add(upload("migrationOldTagStale", metadata(", 'migrations': {'old_tag': 'v0', 'new_tag': 'v2', "
                + "'new_classes': ['Room']}"), 409, "key \"migrations.old_tag\" is \"v0\", but script \"counter\" is "
                + "deployed with migration tag \"v1\"", worker));
        cases.add(upload("migrationNewTagMissing", metadata(", 'migrations': {'old_tag': 'v1', 'new_classes': ['Room']}"),
                400, "key \"migrations.new_tag\" is missing", worker));
        cases.add(upload("migrationRenamesUnknownClass", metadata(", 'migrations': {'old_tag': 'v1', 'new_tag': 'v2', "
                + "'renamed_classes': [{'from': 'Room', 'to': 'ChatRoom'}]}"), 400,
                "key \"migrations.renamed_classes\" renames \"Room\", which does not exist at that point", worker));
        cases.add(upload("migrationCreatesExistingClass", metadata(", 'migrations': {'old_tag': 'v1', 'new_tag': 'v2', "
                + "'new_classes': ['Counter']}"), 400, "key \"migrations.new_classes\" lists \"Counter\", which already "
                + "exists (the deployed version has it)", worker));
        cases.add(upload("migrationCreatesAndDeletes", metadata(", 'migrations': {'old_tag': 'v1', 'new_tag': 'v2', "
                + "'steps': [{'new_classes': ['Room'], 'deleted_classes': ['Room']}]}"), 400,
                "key \"migrations.steps[0].deleted_classes\" lists \"Room\", which the same migration creates", worker));
        cases.add(upload("migrationTransfersClass", metadata(", 'migrations': {'old_tag': 'v1', 'new_tag': 'v2', "
                + "'transferred_classes': [{'from': 'Room', 'from_script': 'chat', 'to': 'Room'}]}"), 400,
                "moves classes from another script; Mooring does not support transfers between scripts", worker));
        cases.add(upload("migrationStepsMixedWithStepKeys", metadata(", 'migrations': {'old_tag': 'v1', 'new_tag': 'v2', "
                + "'new_classes': ['Room'], 'steps': []}"), 400,
                "key \"migrations\" has both \"steps\" and \"new_classes\"", worker));
        cases.add(upload("bindingToDeletedClass", metadata(", 'migrations': {'old_tag': 'v1', 'new_tag': 'v2', "
                + "'deleted_classes': ['Counter']}"), 400,
                "names the class \"Counter\", which does not exist because migrations.deleted_classes deletes it", worker));
    }

    // ---- Modules --------------------------------------------------------------------------------

    private static void addModuleCases(List<Case> cases) {
        ModulePart worker = es("worker.js", WORKER);
        // Names.
        cases.add(upload("moduleNameParentSegment", METADATA, 400,
                "The module name \"../escape.js\" of part 3 has a \"..\" segment", worker, es("../escape.js", "export {};")));
        cases.add(upload("moduleNameAbsolute", METADATA, 400, "The module name \"/etc/passwd\" of part 3 is an absolute path",
                worker, text("/etc/passwd", "root")));
        cases.add(upload("moduleNameDotSegment", METADATA, 400, "The module name \"./util.js\" of part 3 has a \".\" segment",
                worker, es("./util.js", "export {};")));
        cases.add(upload("moduleNameBackslash", METADATA, 400, "of part 3 contains a backslash", worker,
                es("lib\\util.js", "export {};")));
        cases.add(upload("moduleNameEmptySegment", METADATA, 400, "The module name \"lib//util.js\" of part 3 has an "
                + "empty path segment", worker, es("lib//util.js", "export {};")));
        cases.add(raw("moduleNameControlCharacter", body(metadataPart(), part(moduleHeaders("worker.js",
                "application/javascript+module"), WORKER), part(moduleHeaders("util\u0001.js", "application/javascript+module"),
                "export {};")), 400, "The module name \"util<U+0001>.js\" of part 3 contains the control character U+0001 at position 5"));
        cases.add(upload("moduleNameTooLong", METADATA, 400, "is 513 bytes long in UTF-8, more than the maximum of 512",
                worker, es("m".repeat(510) + ".js", "export {};")));
        cases.add(upload("moduleNameEmpty", METADATA, 400, "The module name \"\" of part 3 is empty", worker,
                es("", "export {};")));

        // Content and types.
        cases.add(upload("moduleNameRepeated", METADATA, 400, "Parts 3 and 4 both hold a module named \"util.js\"", worker,
                es("util.js", "export {};"), text("util.js", "text")));
        cases.add(upload("moduleEmpty", METADATA, 400, "Module \"util.js\" (part 3) is empty", worker, es("util.js", "")));
        cases.add(upload("moduleTooLarge", METADATA, 413, "Module \"big.bin\" (part 3) is larger than 5242880 bytes (5 MiB), the maximum for one module; split it, or ask the"
                + " operator to raise --max-upload-module-size",
                worker, data("big.bin", new byte[(int) UploadLimits.DEFAULT_MAX_MODULE_BYTES + 1])));
        cases.add(upload("sourceInvalidUtf8", METADATA, 400, "Module \"util.js\" (part 3) is not valid UTF-8: the byte at "
                + "offset 26 (line 2) starts an invalid sequence", worker,
                new ModulePart("util.js", "application/javascript+module", concat("// fine\nexport const x = \"".getBytes(UTF_8),
                        new byte[] {(byte) 0xC3, '"', ';', '\n'}))));
        cases.add(upload("textInvalidUtf8", METADATA, 400, "Module \"page.html\" (part 3) is not valid UTF-8: the byte at "
                + "offset 0 (line 1)", worker, new ModulePart("page.html", "text/plain", new byte[] {(byte) 0xFF, 'a'})));
        cases.add(upload("textCharsetLatin1", METADATA, 400, "has the charset iso-8859-1", worker,
                new ModulePart("page.html", "text/plain; charset=iso-8859-1", "page".getBytes(UTF_8))));
        cases.add(upload("moduleWasm", METADATA, 400, "is a WebAssembly module (application/wasm), which Mooring does not "
                + "support", worker, new ModulePart("add.wasm", "application/wasm", new byte[] {0, 'a', 's', 'm'})));
        cases.add(upload("moduleCommonJs", METADATA, 400, "has Content-Type application/javascript, which Cloudflare's upload "
                + "format uses for CommonJS modules", worker,
                new ModulePart("util.js", "application/javascript", "module.exports = 1;".getBytes(UTF_8))));
        cases.add(upload("moduleTypeUnknown", METADATA, 400, "has Content-Type image/png, which is not a module type", worker,
                new ModulePart("logo.png", "image/png", new byte[] {(byte) 0x89, 'P', 'N', 'G'})));
        cases.add(upload("moduleContentTypeMissing", METADATA, 400, "Module \"util.js\" (part 3) has no Content-Type header",
                worker, new ModulePart("util.js", null, "export {};".getBytes(UTF_8))));
    }

    // ---- Faults only the runtime finds ----------------------------------------------------------

    private static void addRuntimeCases(List<Case> cases) {
        cases.add(runtime("syntaxError", "Syntax error in store.js at line 3, column 25:",
                es("worker.js", "export { Counter } from './store.js';\nexport default { fetch() { return new Response('x'); } };\n"),
                es("store.js", "export class Counter {\n  fetch() {\n    return new Response(;\n  }\n}\n")));
        cases.add(runtime("bindingToUnexportedClass", "Durable Object binding COUNTER refers to class Counter, but the main "
                + "module worker.js does not export a class of that name. It exports the class Other.",
                es("worker.js", "export class Other {}\nexport default { fetch() { return new Response('x'); } };\n")));
        cases.add(runtime("bindingToMisspelledClass", "does not export a class of that name. Did you mean Countr? It exports"
                + " the classes Countr, Helper.",
                es("worker.js", "export class Countr {}\nexport class Helper {}\n"
                        + "export default { fetch() { return new Response('x'); } };\n")));
        cases.add(runtime("circularImportBeforeInitialization", "Loading script counter failed: ReferenceError:",
                es("worker.js", "import { label } from './label.js';\nexport const PREFIX = 'count: ';\n"
                        + "export { Counter } from './counter.js';\nexport default { fetch() { return new Response(label); } };\n"),
                es("label.js", "import { PREFIX } from './worker.js';\nexport const label = PREFIX + 'ready';\n"),
                es("counter.js", "export class Counter {}\n")));
        cases.add(runtime("importOfMissingModule", "Cannot find module",
                es("worker.js", "import { helper } from './missing.js';\nexport class Counter {}\n"
                        + "export default { fetch() { return new Response(helper()); } };\n")));
        cases.add(runtime("topLevelThrows", "Loading script counter failed: Error: configuration missing",
                es("worker.js", "export class Counter {}\nthrow new Error('configuration missing');\n")));
    }

    // ---- Builders -------------------------------------------------------------------------------

    /** A module part for {@link #upload}. */
    record ModulePart(String name, String contentType, byte[] content) {}

    static ModulePart es(String name, String source) {
        return new ModulePart(name, "application/javascript+module", source.getBytes(UTF_8));
    }

    static ModulePart text(String name, String content) {
        return new ModulePart(name, "text/plain", content.getBytes(UTF_8));
    }

    static ModulePart data(String name, byte[] content) {
        return new ModulePart(name, "application/octet-stream", content);
    }

    /** Returns JSON written with single quotes, which read better in Java strings. */
    static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    /** Returns the baseline's metadata without migrations, with {@code extraKeys} (", 'key': value...") added. */
    static String metadata(String extraKeys) {
        return json("{'main_module': 'worker.js', 'compatibility_date': '2024-01-01', 'bindings': [" + COUNTER_BINDING
                + ", " + GREETING_BINDING + "]" + extraKeys + "}");
    }

    /** Returns metadata with the given bindings. */
    static String bindings(String... bindings) {
        return json("{'main_module': 'worker.js', 'bindings': [" + String.join(", ", bindings) + "]}");
    }

    /** Builds a well-formed body with {@link MultipartWriter}. */
    static Upload upload(String metadata, ModulePart... modules) {
        MultipartWriter writer = new MultipartWriter(BOUNDARY);
        writer.add(ScriptUpload.METADATA_PART, null, "application/json", metadata.getBytes(UTF_8));
        for (ModulePart module : modules) {
            writer.add(module.name(), module.name(), module.contentType(), module.content());
        }
        return new Upload(writer.contentType(), writer.toByteArray());
    }

    private static Upload wellFormed() {
        return upload(METADATA, es("worker.js", WORKER));
    }

    private static String wellFormedText() {
        return new String(wellFormed().body(), UTF_8);
    }

    private static Case upload(String name, String metadata, int status, String messagePart, ModulePart... modules) {
        Upload upload = upload(metadata, modules);
        return new Case(name, SCRIPT, upload.contentType(), upload.body(), status, messagePart, false);
    }

    private static Case runtime(String name, String messagePart, ModulePart... modules) {
        Upload upload = upload(METADATA, modules);
        return new Case(name, SCRIPT, upload.contentType(), upload.body(), 400, messagePart, true);
    }

    private static Case raw(String name, String body, int status, String messagePart) {
        return new Case(name, SCRIPT, CONTENT_TYPE, body.getBytes(UTF_8), status, messagePart, false);
    }

    private static String metadataPart() {
        return part("Content-Disposition: form-data; name=\"metadata\"", METADATA);
    }

    private static String moduleHeaders(String name, String contentType) {
        return "Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + name + "\"\r\nContent-Type: "
                + contentType;
    }

    /** Returns one part as text: its delimiter line, headers (CRLF-separated), an empty line and its content. */
    private static String part(String headers, String content) {
        return "--" + BOUNDARY + "\r\n" + headers + "\r\n\r\n" + content + "\r\n";
    }

    private static String body(String... parts) {
        return String.join("", parts) + "--" + BOUNDARY + "--\r\n";
    }

    private static byte[] concat(byte[]... arrays) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Arrays.stream(arrays).forEach(out::writeBytes);
        return out.toByteArray();
    }
}
