package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.host.objects.ScriptRuntime;
import dev.mooring.host.project.ProjectLoader;
import dev.mooring.host.storage.LmdbStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lines a host logs from start to stop give each count with a noun that agrees with it: one
 * module, binding or event loop in the singular, zero or several in the plural.
 */
class StartupLogTest {

    @TempDir
    Path project;

    @TempDir
    Path data;

    @Test
    void countsAgreeWithTheirNouns() throws Exception {
        TestHost.writeProject(project, Map.of(
                "wrangler.toml", """
                        name = "single"
                        main = "worker.js"

                        [[durable_objects.bindings]]
                        name = "COUNTER"
                        class_name = "Counter"

                        [[migrations]]
                        tag = "v1"
                        new_classes = ["Counter"]
                        """,
                "worker.js", "export class Counter { async fetch() { return new Response('0'); } }"));
        List<String> lines;
        try (LogCapture logs = LogCapture.of("dev.mooring.host")) {
            try (TestHost host = TestHost.start(project, data, TestHost.Options.defaults().withEventLoops(1))) {
                assertEquals("0", host.get("/COUNTER/a/").body());
            }
            lines = logs.lines();

            assertTrue(logs.contains(ProjectLoader.class.getName(), ": 1 module, main module worker.js, 1 durable object binding"),
                    "project line: " + lines);
            assertTrue(logs.contains(HostServices.class.getName(), "Started the host services: 1 event loop per script;"),
                    "host services line: " + lines);
            assertTrue(logs.contains(ScriptRuntime.class.getName(), "Loaded script single on 1 event loop in "),
                    "script line: " + lines);
            assertTrue(logs.contains(LmdbStore.class.getName(), ", 0 namespaces, map "), "store line: " + lines);
            assertTrue(logs.contains(LmdbStore.class.getName(), " after 0 commits of 0 batches"), "store close line: " + lines);
        }
        for (String line : lines) {
            assertFalse(line.contains("(s)"), "a count with (s) in place of agreement: " + line);
        }
    }
}
