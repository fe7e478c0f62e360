package dev.mooring.host.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.host.HostServices;
import dev.mooring.host.ManualTicker;
import dev.mooring.host.deploy.ScriptUpload;
import dev.mooring.host.deploy.UploadException;
import dev.mooring.host.egress.EgressSettings;
import dev.mooring.host.http.HttpFrontend;
import dev.mooring.host.objects.EventFailure;
import dev.mooring.host.objects.ResponseSink;
import dev.mooring.host.objects.ScriptRuntime;
import dev.mooring.host.storage.LmdbStore;
import dev.mooring.runtime.fetch.RequestData;
import dev.mooring.runtime.fetch.ResponseData;
import dev.mooring.sandbox.EventLoop;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deploys, migrations, deletions and restarts of the script registry, on real contexts and LMDB
 * files; requests go straight to the router, without sockets.
 */
class ScriptRegistryTest {

    private static final String COUNTER = """
            export class CLASS {
              constructor(state) { this.state = state; }
              async fetch(request) {
                const value = ((await this.state.storage.get("value")) ?? 0) + 1;
                await this.state.storage.put("value", value);
                return new Response("VERSION " + value);
              }
            }
            """;

    private static final String CLOCK = """
            export class Clock {
              constructor(state) { this.state = state; }
              async fetch(request) {
                if (new URL(request.url).pathname.endsWith("/set")) {
                  await this.state.storage.setAlarm(Date.now() + 60000);
                  return new Response("set");
                }
                return new Response(String((await this.state.storage.get("runs")) ?? 0));
              }
              async alarm() {
                await this.state.storage.put("runs", ((await this.state.storage.get("runs")) ?? 0) + 1);
              }
            }
            """;

    @TempDir
    Path data;

    private ManualTicker ticker;
    private HostServices services;
    private ScriptRegistry registry;

    @BeforeEach
    void start() {
        services = startServices(data);
        registry = ScriptRegistry.open(services, data, Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        registry.close();
        services.close();
        assertEquals(0, services.store().openTransactions(), "LMDB transactions left open");
        for (EventLoop loop : services.loops()) {
            assertTrue(loop.isTerminated(), "event loop " + loop.name() + " is still running");
        }
    }

    private static final String CREATE = "{\"new_tag\": \"v1\", \"new_classes\": [\"Counter\"]}";

    @Test
    void aNewVersionContinuesTheCountOfTheOldOne() throws Exception {
        registry.deploy(upload("counter", "Counter", "v1", CREATE));
        assertEquals("v1 1", get("counter", "/COUNTER/a/"));
        assertEquals("v1 2", get("counter", "/COUNTER/a/"));

        ScriptRegistry.Deployed second = registry.deploy(upload("counter", "Counter", "v2", null));

        assertEquals(2, second.version());
        assertEquals("v2 3", get("counter", "/COUNTER/a/"));
    }

    @Test
    void scriptsComeBackAfterARestart() throws Exception {
        registry.deploy(upload("counter", "Counter", "v1", CREATE));
        registry.deploy(upload("counter", "Counter", "v2", null));
        assertEquals("v2 1", get("counter", "/COUNTER/a/"));

        restart();

        assertEquals("v2 2", get("counter", "/COUNTER/a/"));
        assertEquals(List.of(1, 2), registry.describe("counter").orElseThrow().versions());
    }

    @Test
    void storedAlarmsRunAfterARestart() throws Exception {
        registry.deploy(Uploads.parse("clock", Uploads.body(CLOCK, "CLOCK", "Clock",
                "{\"new_tag\": \"v1\", \"new_classes\": [\"Clock\"]}")));
        assertEquals("set", get("clock", "/CLOCK/a/set"));

        restart();

        // The restored script schedules its alarms on its loops, so keep moving their clock.
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        String runs = "0";
        while (runs.equals("0") && System.nanoTime() < deadline) {
            ticker.advance(Duration.ofMinutes(2));
            services.loops().forEach(EventLoop::wakeUp);
            Thread.sleep(20);
            runs = get("clock", "/CLOCK/a/runs");
        }
        assertEquals("1", runs, "the alarm stored before the restart ran once");
    }

    @Test
    void aScriptThatFailsToLoadLeavesThePreviousVersionServing() throws Exception {
        registry.deploy(upload("counter", "Counter", "v1", CREATE));
        ScriptUpload broken = Uploads.parse("counter",
                Uploads.body("export class Counter {\n  fetch( {\n}\n", "COUNTER", "Counter", null));

        UploadException error = assertThrows(UploadException.class, () -> registry.deploy(broken));

        assertEquals(400, error.status());
        assertTrue(error.getMessage().contains("Syntax error in worker.js at line 4, column 1"), error.getMessage());
        assertEquals("v1 1", get("counter", "/COUNTER/a/"));
        assertEquals(1, registry.describe("counter").orElseThrow().summary().version());
    }

    @Test
    void aRenamedClassKeepsItsObjects() throws Exception {
        registry.deploy(upload("counter", "Counter", "v1", CREATE));
        assertEquals("v1 1", get("counter", "/COUNTER/a/"));

        registry.deploy(upload("counter", "Tally", "v2",
                "{\"old_tag\": \"v1\", \"new_tag\": \"v2\", \"renamed_classes\": [{\"from\": \"Counter\", \"to\": \"Tally\"}]}"));

        assertEquals("v2 2", get("counter", "/COUNTER/a/"));
        assertEquals("v2", registry.describe("counter").orElseThrow().version().migrationTag());
    }

    @Test
    void aDeletedClassLosesItsObjectsAndAClassCreatedAgainStartsEmpty() throws Exception {
        registry.deploy(upload("counter", "Counter", "v1", CREATE));
        assertEquals("v1 1", get("counter", "/COUNTER/a/"));

        registry.deploy(Uploads.parse("counter", Uploads.body("export default { fetch() { return new Response('none'); } };",
                null, null, "{\"old_tag\": \"v1\", \"new_tag\": \"v2\", \"deleted_classes\": [\"Counter\"]}")));
        registry.deploy(upload("counter", "Counter", "v3",
                "{\"old_tag\": \"v2\", \"new_tag\": \"v3\", \"new_classes\": [\"Counter\"]}"));

        assertEquals("v3 1", get("counter", "/COUNTER/a/"));
    }

    @Test
    void aStaleOldTagIsAConflict() throws Exception {
        registry.deploy(upload("counter", "Counter", "v1", CREATE));

        ScriptUpload stale = upload("counter", "Counter", "v2", "{\"old_tag\": \"v0\", \"new_tag\": \"v2\", \"steps\": []}");
        UploadException error = assertThrows(UploadException.class, () -> registry.deploy(stale));

        assertEquals(409, error.status());
        assertTrue(error.getMessage().contains("v0") && error.getMessage().contains("v1"), error.getMessage());
    }

    @Test
    void aDeletedScriptKeepsItsStorageUnlessAsked() throws Exception {
        registry.deploy(upload("counter", "Counter", "v1", CREATE));
        assertEquals("v1 1", get("counter", "/COUNTER/a/"));

        assertTrue(registry.delete("counter", false));
        assertEquals(404, status("counter", "/COUNTER/a/"));
        registry.deploy(upload("counter", "Counter", "v1", CREATE));
        assertEquals("v1 2", get("counter", "/COUNTER/a/"), "a script of the same name finds the kept storage");

        assertTrue(registry.delete("counter", true));
        registry.deploy(upload("counter", "Counter", "v1", CREATE));
        assertEquals("v1 1", get("counter", "/COUNTER/a/"));
        assertEquals(false, registry.delete("nothing", false));
    }

    /** A class that counts its requests in memory only, so a reset object starts again at 1. */
    private static final String MEMORY_COUNTER = """
            export class Counter {
              async fetch(request) {
                this.hits = (this.hits ?? 0) + 1;
                return new Response("hits " + this.hits);
              }
            }
            """;

    private static final String MEMORY_METADATA = """
            {"main_module": "worker.js", "compatibility_date": "2024-09-01",
             "bindings": [
               {"type": "durable_object_namespace", "name": "COUNTER", "class_name": "Counter"},
               {"type": "plain_text", "name": "GREETING", "text": "hello"},
               {"type": "json", "name": "LIMITS", "json": {"max": 10, "ratio": 0.5, "tags": ["a", 2]}}
             ]MIGRATIONS}
            """;

    private static ScriptUpload memoryUpload(String source, String migrations) throws UploadException {
        String metadata = MEMORY_METADATA.replace("MIGRATIONS", migrations == null ? "" : ", \"migrations\": " + migrations);
        return Uploads.parse("memory", Uploads.body(metadata, java.util.Map.of("worker.js", source)));
    }

    @Test
    void identicalRedeployKeepsVersionAndObjects() throws Exception {
        ScriptRegistry.Deployed first = registry.deploy(memoryUpload(MEMORY_COUNTER, CREATE));
        assertEquals("hits 1", get("memory", "/COUNTER/a/"));
        assertEquals("hits 2", get("memory", "/COUNTER/a/"));

        ScriptRegistry.Deployed again = registry.deploy(memoryUpload(MEMORY_COUNTER, null));

        assertEquals(1, first.version());
        assertTrue(again.unchanged(), "an identical upload is reported as unchanged");
        assertEquals(false, again.created());
        assertEquals(1, again.version());
        assertEquals("v1", again.migrationTag());
        assertEquals("hits 3", get("memory", "/COUNTER/a/"), "the object kept its in-memory state");
        assertEquals(List.of(1), registry.describe("memory").orElseThrow().versions());
    }

    @Test
    void oneChangedByteDeploysANewVersion() throws Exception {
        registry.deploy(memoryUpload(MEMORY_COUNTER, CREATE));
        assertEquals("hits 1", get("memory", "/COUNTER/a/"));
        assertEquals("hits 2", get("memory", "/COUNTER/a/"));

        ScriptRegistry.Deployed changed = registry.deploy(memoryUpload(MEMORY_COUNTER.replace("\"hits \"", "\"hitz \""), null));

        assertEquals(false, changed.unchanged());
        assertEquals(2, changed.version());
        assertEquals("hitz 1", get("memory", "/COUNTER/a/"), "the object was reset into the new version");
        assertEquals(List.of(1, 2), registry.describe("memory").orElseThrow().versions());
    }

    @Test
    void identicalRedeployAfterRestartKeepsVersion() throws Exception {
        registry.deploy(memoryUpload(MEMORY_COUNTER, CREATE));
        restart();
        assertEquals("hits 1", get("memory", "/COUNTER/a/"));

        ScriptRegistry.Deployed again = registry.deploy(memoryUpload(MEMORY_COUNTER, null));

        assertTrue(again.unchanged(), "the version read back from the archive equals the same upload");
        assertEquals(1, again.version());
        assertEquals("hits 2", get("memory", "/COUNTER/a/"));
    }

    @Test
    void redeployWithNewMigrationTagIsAChange() throws Exception {
        registry.deploy(memoryUpload(MEMORY_COUNTER, CREATE));

        ScriptRegistry.Deployed retagged = registry.deploy(memoryUpload(MEMORY_COUNTER,
                "{\"old_tag\": \"v1\", \"new_tag\": \"v2\", \"steps\": []}"));

        assertEquals(false, retagged.unchanged());
        assertEquals(2, retagged.version());
        assertEquals("v2", retagged.migrationTag());
    }

    // ---- Helpers --------------------------------------------------------------------------------

    private void restart() {
        registry.close();
        services.close();
        services = startServices(data);
        registry = ScriptRegistry.open(services, data, Duration.ofSeconds(5));
    }

    private HostServices startServices(Path data) {
        ticker = new ManualTicker();
        return HostServices.start(new HostServices.Settings(data, 2, Duration.ofSeconds(30), Duration.ofSeconds(10),
                LmdbStore.Options.defaults().withInitialMapSizeBytes(64L << 20),
                new HttpFrontend.Settings("127.0.0.1", 0, 1, 1 << 20), ticker,
                EgressSettings.DEFAULTS));
    }

    /** An upload of the counter with class {@code className}, answering with {@code version}. */
    private static ScriptUpload upload(String script, String className, String version, String migrations)
            throws UploadException {
        String source = COUNTER.replace("CLASS", className).replace("VERSION", version);
        return Uploads.parse(script, Uploads.body(source, "COUNTER", className, migrations));
    }

    private String get(String script, String path) throws Exception {
        ResponseData response = send(script, path);
        assertEquals(200, response.status(), new String(response.body(), StandardCharsets.UTF_8));
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    private int status(String script, String path) throws Exception {
        return send(script, path).status();
    }

    private ResponseData send(String script, String path) throws Exception {
        ScriptRouter router = new ScriptRouter(registry, null, false);
        CompletableFuture<ResponseData> result = new CompletableFuture<>();
        router.handle(new RequestData("GET", "http://" + script + ".localhost:8787" + path, List.of(), null), new ResponseSink() {
            @Override
            public void complete(ResponseData response) {
                result.complete(response);
            }

            @Override
            public void fail(EventFailure failure) {
                result.completeExceptionally(new IllegalStateException(failure.name() + ": " + failure.message()));
            }
        });
        return result.get(30, TimeUnit.SECONDS);
    }
}
