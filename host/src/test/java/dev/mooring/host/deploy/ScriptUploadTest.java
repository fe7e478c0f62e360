package dev.mooring.host.deploy;

import static dev.mooring.host.deploy.BadUploads.json;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.host.project.DurableObjectBinding;
import dev.mooring.host.project.Migration;
import dev.mooring.host.project.ScriptDefinition;
import dev.mooring.host.project.StorageKind;
import dev.mooring.sandbox.ModuleBundle.Module;
import dev.mooring.sandbox.ModuleBundle.ModuleType;
import java.math.BigInteger;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Uploads that are accepted: what {@link ScriptUpload} reads from them and what their migrations do. */
class ScriptUploadTest {

    private static final String COUNTER = "export class Counter {}\nexport default { fetch() { return new Response('x'); } };\n";

    private static ScriptUpload parse(String metadata, BadUploads.ModulePart... modules) throws UploadException {
        BadUploads.Upload upload = BadUploads.upload(metadata, modules);
        return ScriptUpload.parse("counter", upload.contentType(), upload.body(), UploadLimits.DEFAULTS);
    }

    // ---- The shape of Cloudflare's 2020 chat demo -----------------------------------------------

    /**
     * The chat demo deployed itself with curl: {@code -F "metadata=@metadata.json;type=application/json"
     * -F "script=@chat.mjs;type=application/javascript+module" -F "html=@chat.html;type=application/octet-stream"},
     * so part names differ from the file names that the metadata and imports use.
     */
    @Test
    void chatDemoCurlShapeIsRead() throws Exception {
        String metadata = json("{'main_module': 'chat.mjs', 'bindings': ["
                + "{'type': 'durable_object_namespace', 'name': 'rooms', 'class_name': 'ChatRoom'},"
                + "{'type': 'durable_object_namespace', 'name': 'limiters', 'class_name': 'RateLimiter'}],"
                + "'migrations': {'new_tag': 'v1', 'new_classes': ['ChatRoom', 'RateLimiter']}}");
        String chat = "import HTML from 'chat.html';\nexport class ChatRoom {}\nexport class RateLimiter {}\n"
                + "export default { fetch() { return new Response(HTML, {headers: {'Content-Type': 'text/html'}}); } };\n";
        byte[] html = "<!DOCTYPE html>\r\n--chat\r\n<p>Hello</p>\n".getBytes(UTF_8);
        String boundary = "------------------------d74496d66958873e";
        String body = "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"metadata\"; filename=\"metadata.json\"\r\n"
                + "Content-Type: application/json\r\n\r\n" + metadata + "\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"script\"; filename=\"chat.mjs\"\r\n"
                + "Content-Type: application/javascript+module\r\n\r\n" + chat + "\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"html\"; filename=\"chat.html\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + new String(html, UTF_8) + "\r\n"
                + "--" + boundary + "--\r\n";

        ScriptUpload upload = ScriptUpload.parse("edge-chat-demo", "multipart/form-data; boundary=" + boundary,
                body.getBytes(UTF_8), UploadLimits.DEFAULTS);
        ScriptDefinition definition = upload.definition();

        assertEquals("chat.mjs", upload.mainModule());
        assertEquals(List.of("chat.mjs", "chat.html"), new ArrayList<>(upload.modules().keySet()));
        assertEquals(ModuleType.ES_MODULE, upload.modules().get("chat.mjs").type());
        assertEquals(chat, upload.modules().get("chat.mjs").text());
        assertEquals(ModuleType.DATA, upload.modules().get("chat.html").type());
        assertArrayEquals(html, upload.modules().get("chat.html").content());
        assertEquals(List.of(new DurableObjectBinding("rooms", "ChatRoom"), new DurableObjectBinding("limiters", "RateLimiter")),
                definition.durableObjectBindings());
        assertEquals(Map.of("ChatRoom", StorageKind.KEY_VALUE, "RateLimiter", StorageKind.KEY_VALUE),
                definition.classStorageKinds());
        assertEquals("edge-chat-demo", definition.name());
        assertEquals("", definition.moduleRootPrefix());
        assertEquals(metadata, upload.metadataJson());
        assertEquals(List.of(), upload.warnings());
    }

    @Test
    void mainModuleNamingPartNameGetsHint() {
        String body = "--b\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n{\"main_module\": \"script\"}\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"script\"; filename=\"chat.mjs\"\r\n"
                + "Content-Type: application/javascript+module\r\n\r\nexport default {};\r\n--b--\r\n";

        UploadException error = assertThrows(UploadException.class, () -> ScriptUpload.parse("chat",
                "multipart/form-data; boundary=b", body.getBytes(UTF_8), UploadLimits.DEFAULTS));

        assertEquals(400, error.status());
        assertTrue(error.getMessage().contains("Part 2 is named \"script\", but its filename \"chat.mjs\" is its module "
                + "name."), error.getMessage());
    }

    // ---- Metadata ---------------------------------------------------------------------------------

    @Test
    void varsKeepJsonTypes() throws Exception {
        ScriptUpload upload = parse(json("{'main_module': 'worker.js', 'compatibility_date': '2025-02-28', "
                + "'compatibility_flags': ['nodejs_compat'], 'bindings': ["
                + "{'type': 'plain_text', 'name': 'GREETING', 'text': 'hello'},"
                + "{'type': 'json', 'name': 'LIMITS', 'json': {'max': 10, 'ratio': 1.5, 'big': 123456789012345678901234567890,"
                + " 'tags': ['a', true, null]}},"
                + "{'type': 'json', 'name': 'NOTHING', 'json': null},"
                + "{'type': 'json', 'name': 'FLAG', 'json': false}]}"),
                BadUploads.es("worker.js", "export default {};"));

        Map<String, Object> limits = new LinkedHashMap<>();
        limits.put("max", 10L);
        limits.put("ratio", 1.5);
        limits.put("big", new BigInteger("123456789012345678901234567890"));
        limits.put("tags", Arrays.asList("a", true, null));
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("GREETING", "hello");
        expected.put("LIMITS", limits);
        expected.put("NOTHING", null);
        expected.put("FLAG", false);
        assertEquals(expected, upload.vars());
        assertEquals(List.copyOf(expected.keySet()), List.copyOf(upload.vars().keySet()));
        assertEquals(LocalDate.of(2025, 2, 28), upload.compatibilityDate());
        assertEquals(List.of("nodejs_compat"), upload.compatibilityFlags());
        assertEquals(expected, upload.definition().vars());
    }

    @Test
    void unknownKeysWarnAndAreIgnored() throws Exception {
        ScriptUpload upload = parse(json("{'main_module': 'worker.js', 'usage_model': 'bundled', 'bindings': ["
                + "{'type': 'durable_object_namespace', 'name': 'COUNTER', 'class_name': 'Counter', 'namespace_id': 'x'}],"
                + "'migrations': {'new_tag': 'v1', 'new_classes': ['Counter'], 'note': 'first'}}"),
                BadUploads.es("worker.js", COUNTER));

        assertEquals(List.of(
                "metadata: key \"usage_model\" is not supported by Mooring and is ignored",
                "metadata: key \"bindings[0].namespace_id\" is not supported by Mooring and is ignored",
                "metadata: key \"migrations.note\" is not supported by Mooring and is ignored"), upload.warnings());
        assertEquals(Map.of("Counter", StorageKind.KEY_VALUE), upload.definition().classStorageKinds());
    }

    @Test
    void misspelledKeysWarnWithTheKeyMeant() throws Exception {
        ScriptUpload upload = parse(json("{'main_module': 'worker.js', 'compatibility_dat': '2025-02-28', 'bindings': ["
                + "{'type': 'durable_object_namespace', 'name': 'COUNTER', 'class_nme': 'x', 'class_name': 'Counter'}],"
                + "'migrations': {'new_tag': 'v1', 'new_clases': ['Counter'], 'new_classes': ['Counter']}}"),
                BadUploads.es("worker.js", COUNTER));

        assertEquals(List.of(
                "metadata: key \"compatibility_dat\" is not supported by Mooring and is ignored."
                        + " Did you mean \"compatibility_date\"?",
                "metadata: key \"bindings[0].class_nme\" is not supported by Mooring and is ignored."
                        + " Did you mean \"bindings[0].class_name\"?",
                "metadata: key \"migrations.new_clases\" is not supported by Mooring and is ignored."
                        + " Did you mean \"migrations.new_classes\"?"), upload.warnings());
    }

    @Test
    void scriptNameOfThisScriptIsLocal() throws Exception {
        ScriptUpload upload = parse(json("{'main_module': 'worker.js', 'bindings': [{'type': 'durable_object_namespace', "
                + "'name': 'COUNTER', 'class_name': 'Counter', 'script_name': 'counter'}], "
                + "'migrations': {'new_tag': 'v1', 'new_sqlite_classes': ['Counter']}}"), BadUploads.es("worker.js", COUNTER));

        assertEquals(List.of(new DurableObjectBinding("COUNTER", "Counter")), upload.durableObjectBindings());
        assertEquals(StorageKind.SQLITE, upload.definition().storageKindOf("Counter"));
    }

    @Test
    void moduleTypesAndBytesAreKept() throws Exception {
        byte[] binary = new byte[256];
        for (int i = 0; i < binary.length; i++) {
            binary[i] = (byte) i;
        }
        ScriptUpload upload = parse(json("{'main_module': 'src/worker.js'}"),
                new BadUploads.ModulePart("src/worker.js", "application/javascript+module; charset=utf-8",
                        "import page from './page.html';\nexport default {};".getBytes(UTF_8)),
                new BadUploads.ModulePart("src/page.html", "Text/Plain; Charset=UTF-8", "<p>Grüße</p>\r\n".getBytes(UTF_8)),
                BadUploads.data("src/all-bytes.bin", binary));

        Map<String, Module> modules = upload.modules();
        assertEquals(List.of("src/worker.js", "src/page.html", "src/all-bytes.bin"), List.copyOf(modules.keySet()));
        assertEquals(ModuleType.ES_MODULE, modules.get("src/worker.js").type());
        assertEquals(ModuleType.TEXT, modules.get("src/page.html").type());
        assertEquals("<p>Grüße</p>\r\n", modules.get("src/page.html").text());
        assertEquals(ModuleType.DATA, modules.get("src/all-bytes.bin").type());
        assertArrayEquals(binary, modules.get("src/all-bytes.bin").content());
        assertEquals("src/worker.js", upload.bundle().mainModule());
        assertEquals(new ScriptUpload.MigrationTags(null, null), upload.migrationTags());
        assertEquals(List.of(), upload.migrations());
    }

    @Test
    void moduleLimitIsConfigurable() {
        BadUploads.Upload upload = BadUploads.upload(json("{'main_module': 'worker.js'}"),
                BadUploads.es("worker.js", "export default {};"), BadUploads.es("a.js", "export {};"),
                BadUploads.es("b.js", "export {};"));

        UploadException error = assertThrows(UploadException.class, () -> ScriptUpload.parse("counter",
                upload.contentType(), upload.body(), UploadLimits.DEFAULTS.withMaxModules(2)));

        assertEquals(413, error.status());
        assertTrue(error.getMessage().contains("more than 3 parts, the maximum: one metadata part and at most 2 modules"),
                error.getMessage());
    }

    // ---- Migrations -------------------------------------------------------------------------------

    @Test
    void stepsApplyInOrderOntoDeployedClasses() throws Exception {
        DeployedClasses deployed = new DeployedClasses("v1",
                Map.of("Room", StorageKind.KEY_VALUE, "Log", StorageKind.SQLITE, "Old", StorageKind.KEY_VALUE));
        ScriptUpload upload = parse(json("{'main_module': 'worker.js', 'bindings': ["
                        + "{'type': 'durable_object_namespace', 'name': 'ROOMS', 'class_name': 'ChatRoom'},"
                        + "{'type': 'durable_object_namespace', 'name': 'LOGS', 'class_name': 'Log'},"
                        + "{'type': 'durable_object_namespace', 'name': 'USERS', 'class_name': 'User'}],"
                        + "'migrations': {'old_tag': 'v1', 'new_tag': 'v3', 'steps': ["
                        + "{'renamed_classes': [{'from': 'Room', 'to': 'ChatRoom'}], 'deleted_classes': ['Old']},"
                        + "{'new_sqlite_classes': ['User']}]}}"),
                BadUploads.es("worker.js", "export default {};"));

        MigrationResult result = upload.migrate(deployed);

        assertEquals(new DeployedClasses("v3", Map.of("ChatRoom", StorageKind.KEY_VALUE, "Log", StorageKind.SQLITE,
                "User", StorageKind.SQLITE)), result.classes());
        assertEquals(List.of(new ClassChange.Deleted("Old"), new ClassChange.Renamed("Room", "ChatRoom"),
                new ClassChange.Created("User", StorageKind.SQLITE)), result.changes());
        assertEquals(List.of(
                new Migration("v3 (step 1)", List.of(), List.of(), List.of(new Migration.RenamedClass("Room", "ChatRoom")),
                        List.of("Old")),
                new Migration("v3 (step 2)", List.of(), List.of("User"), List.of(), List.of())), upload.migrations());
        assertEquals(new ScriptUpload.MigrationTags("v1", "v3"), upload.migrationTags());
        assertEquals(result.classes().classes(), upload.definition(result.classes()).classStorageKinds());
    }

    @Test
    void uploadWithoutMigrationsKeepsUnboundClasses() throws Exception {
        DeployedClasses deployed = new DeployedClasses("v2",
                Map.of("Counter", StorageKind.KEY_VALUE, "Retired", StorageKind.SQLITE));
        ScriptUpload upload = parse(BadUploads.bindings(
                "{'type': 'durable_object_namespace', 'name': 'COUNTER', 'class_name': 'Counter'}"),
                BadUploads.es("worker.js", COUNTER));

        MigrationResult result = upload.migrate(deployed);

        assertEquals(deployed, result.classes());
        assertEquals(List.of(), result.changes());
        assertEquals(StorageKind.SQLITE, upload.definition(result.classes()).storageKindOf("Retired"));
    }

    @Test
    void oldTagOnNewScriptConflicts() throws Exception {
        ScriptUpload upload = parse(json("{'main_module': 'worker.js', 'migrations': {'old_tag': 'v1', 'new_tag': 'v2', "
                + "'new_classes': ['Counter']}}"), BadUploads.es("worker.js", COUNTER));

        UploadException error = assertThrows(UploadException.class, upload::definition);

        assertEquals(409, error.status());
        assertEquals("metadata: key \"migrations.old_tag\" is \"v1\", but script \"counter\" has no migration tag: it is "
                + "new, or no upload gave it migrations. Remove old_tag and send all migrations", error.getMessage());
    }

    @Test
    void renamedClassBindingNamesItsFate() throws Exception {
        ScriptUpload upload = parse(json("{'main_module': 'worker.js', 'bindings': [{'type': 'durable_object_namespace', "
                + "'name': 'COUNTER', 'class_name': 'Counter'}], 'migrations': {'old_tag': 'v1', 'new_tag': 'v2', "
                + "'renamed_classes': [{'from': 'Counter', 'to': 'Tally'}]}}"), BadUploads.es("worker.js", COUNTER));

        UploadException error = assertThrows(UploadException.class,
                () -> upload.migrate(new DeployedClasses("v1", Map.of("Counter", StorageKind.KEY_VALUE))));

        assertEquals(400, error.status());
        assertEquals("metadata: key \"bindings[0].class_name\" names the class \"Counter\", which does not exist because "
                + "migrations.renamed_classes renames it to \"Tally\"; bind a class that exists after the migrations, or "
                + "remove the binding", error.getMessage());
    }

    @Test
    void deployedClassesAreImmutableCopies() {
        Map<String, StorageKind> classes = new LinkedHashMap<>();
        classes.put("Counter", StorageKind.KEY_VALUE);
        DeployedClasses deployed = new DeployedClasses("v1", classes);

        classes.put("Other", StorageKind.SQLITE);

        assertEquals(Map.of("Counter", StorageKind.KEY_VALUE), deployed.classes());
        assertThrows(UnsupportedOperationException.class, () -> deployed.classes().put("X", StorageKind.SQLITE));
        assertNull(DeployedClasses.NONE.migrationTag());
    }
}
