package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.sandbox.ScriptLoadException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Projects and values that cannot work get errors that name the culprit. */
class BadProjectTest {

    private static final String CONFIG = """
            name = "bad"
            main = "src/worker.js"
            [durable_objects]
            bindings = [ { name = "STORE", class_name = "Store" } ]
            [[migrations]]
            tag = "v1"
            new_classes = ["Store"]
            """;

    @TempDir
    Path project;

    @TempDir
    Path data;

    @Test
    void syntaxErrorNamesFileLineAndColumn() throws Exception {
        TestHost.writeProject(project, Map.of(
                "wrangler.toml", CONFIG,
                "src/worker.js", "export { Store } from './store.js';\n",
                "src/store.js", "export class Store {\n  fetch() {\n    return new Response(;\n  }\n}\n"));

        ScriptLoadException error = assertThrows(ScriptLoadException.class, () -> TestHost.start(project, data).close());

        assertTrue(error.getMessage().startsWith("Syntax error in src/store.js at line 3, column 25:"), error.getMessage());
    }

    @Test
    void topLevelSpinNamesCpuLimitOption() throws Exception {
        TestHost.writeProject(project, Map.of(
                "wrangler.toml", CONFIG,
                "src/worker.js", "for (;;) {}\nexport class Store {}\n"));
        TestHost.Options options = TestHost.Options.defaults().withCpuLimit(Duration.ofMillis(300));

        ScriptLoadException error = assertThrows(ScriptLoadException.class, () -> TestHost.start(project, data, options).close());

        assertEquals("Top-level code of script bad ran past the CPU limit of 300 ms (--cpu-limit)", error.getMessage());
    }

    @Test
    void topLevelBuiltinErrorNamesLocation() throws Exception {
        TestHost.writeProject(project, Map.of(
                "wrangler.toml", CONFIG,
                "src/worker.js", "export class Store {}\nconst settings = JSON.parse('{broken');\n"));

        ScriptLoadException error = assertThrows(ScriptLoadException.class, () -> TestHost.start(project, data).close());

        assertTrue(error.getMessage().startsWith("Loading script bad failed: SyntaxError: "), error.getMessage());
        assertTrue(error.getMessage().endsWith("\n    at src/worker.js:2:18"), error.getMessage());
    }

    @Test
    void missingModuleNamesPathAndImporter() throws Exception {
        TestHost.writeProject(project, Map.of(
                "wrangler.toml", CONFIG,
                "src/worker.js", "import { helper } from './helpers.js';\nexport class Store {}\n"));

        ScriptLoadException error = assertThrows(ScriptLoadException.class, () -> TestHost.start(project, data).close());

        assertTrue(error.getMessage().startsWith("Cannot find module src/helpers.js, imported from src/worker.js: the project"
                + " has no such module"), error.getMessage());
        assertTrue(error.getMessage().contains("a bare name (\"util.js\") one from src/, the module root"),
                error.getMessage());
    }

    @Test
    void nodeBuiltinImportIsExplained() throws Exception {
        TestHost.writeProject(project, Map.of(
                "wrangler.toml", CONFIG,
                "src/worker.js", "import { Buffer } from 'node:buffer';\nexport class Store {}\n"));

        ScriptLoadException error = assertThrows(ScriptLoadException.class, () -> TestHost.start(project, data).close());

        assertTrue(error.getMessage().startsWith("Cannot import node:buffer in script "), error.getMessage());
        assertTrue(error.getMessage().contains("Mooring does not provide Node.js built-in modules"), error.getMessage());
    }

    @Test
    void bindingToMissingClassNamesBindingAndClass() throws Exception {
        TestHost.writeProject(project, Map.of(
                "wrangler.toml", CONFIG,
                "src/worker.js", "export class Other {}\nexport default { fetch() { return new Response('x'); } };\n"));

        ScriptLoadException error = assertThrows(ScriptLoadException.class, () -> TestHost.start(project, data).close());

        assertTrue(error.getMessage().contains("binding STORE refers to class Store"), error.getMessage());
        assertTrue(error.getMessage().contains("src/worker.js does not export"), error.getMessage());
    }

    @Test
    void badValuesThrowWorkerdErrors() throws Exception {
        TestHost.writeProject(project, Map.of(
                "wrangler.toml", CONFIG,
                "src/worker.js", """
                        export class Store {
                          constructor(state) { this.storage = state.storage; }
                          async fetch(request) {
                            const test = new URL(request.url).pathname;
                            try {
                              if (test === "/function") await this.storage.put("f", () => 1);
                              if (test === "/long-key") await this.storage.put("k".repeat(2049), 1);
                              if (test === "/max-key") { await this.storage.put("k".repeat(2048), 1); return new Response("stored"); }
                              if (test === "/undefined") await this.storage.put("u", undefined);
                              return new Response("no error");
                            } catch (e) {
                              return new Response(e.name + ": " + e.message);
                            }
                          }
                        }
                        """));
        try (TestHost host = TestHost.start(project, data)) {
            assertEquals("DataCloneError: () => 1 could not be cloned.", host.get("/STORE/a/function").body());
            assertEquals("RangeError: Keys cannot be larger than 2048 bytes. A key of size 2049 was provided.",
                    host.get("/STORE/a/long-key").body());
            assertEquals("stored", host.get("/STORE/a/max-key").body());
            assertEquals("TypeError: put() called with undefined value.", host.get("/STORE/a/undefined").body());
        }
    }
}
