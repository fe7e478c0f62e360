package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.host.storage.LmdbStore;
import dev.mooring.host.storage.WriteBatch;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A response waits for the writes before it, and never leaves when they fail to commit. */
class OutputGateTest {

    @TempDir
    Path project;

    @TempDir
    Path data;

    private static boolean writesPoison(WriteBatch batch) {
        return batch.operations().stream().anyMatch(operation -> operation instanceof WriteBatch.Put put
                && new String(put.key(), StandardCharsets.UTF_8).equals("poison"));
    }

    @Test
    void failedCommitDropsResponseAndResets() throws Exception {
        TestHost.writeProject(project, Map.of(
                "wrangler.toml", """
                        name = "gate"
                        main = "worker.js"
                        [durable_objects]
                        bindings = [ { name = "OBJ", class_name = "Writer" } ]
                        [[migrations]]
                        tag = "v1"
                        new_classes = ["Writer"]
                        """,
                "worker.js", """
                        let constructions = 0;
                        export class Writer {
                          constructor(state) { this.storage = state.storage; this.instance = ++constructions; }
                          async fetch(request) {
                            const path = new URL(request.url).pathname;
                            if (path === "/poison") { this.storage.put("poison", 1); return new Response("ok"); }
                            if (path === "/good") { await this.storage.put("good", 1); return new Response("ok"); }
                            return Response.json({ instance: this.instance, poison: await this.storage.get("poison") ?? null,
                                                   good: await this.storage.get("good") ?? null });
                          }
                        }
                        """));
        TestHost.Options options = TestHost.Options.defaults().withStorage(
                LmdbStore.Options.defaults().withInitialMapSizeBytes(64L << 20).withCommitFaultInjector(OutputGateTest::writesPoison));

        try (TestHost host = TestHost.start(project, data, options)) {
            assertEquals("ok", host.get("/OBJ/a/good").body());
            String before = host.get("/OBJ/a/state").body();

            HttpResponse<String> poisoned = host.get("/OBJ/a/poison");
            String after = host.get("/OBJ/a/state").body();

            assertEquals("{\"instance\":1,\"poison\":null,\"good\":1}", before);
            assertEquals(503, poisoned.statusCode(), poisoned.body());
            assertFalse(poisoned.body().contains("ok"), poisoned.body());
            assertTrue(poisoned.body().contains("failed to commit"), poisoned.body());
            assertEquals("{\"instance\":2,\"poison\":null,\"good\":1}", after, "a new instance sees only committed data");
        }
    }
}
