package dev.mooring.host.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.host.HostServices;
import dev.mooring.host.ManualTicker;
import dev.mooring.host.http.HttpFrontend;
import dev.mooring.host.objects.EventFailure;
import dev.mooring.host.objects.ResponseSink;
import dev.mooring.host.objects.ScriptRuntime;
import dev.mooring.host.project.DurableObjectBinding;
import dev.mooring.host.project.Migration;
import dev.mooring.host.project.ScriptDefinition;
import dev.mooring.host.project.StorageKind;
import dev.mooring.host.storage.LmdbStore;
import dev.mooring.runtime.fetch.RequestData;
import dev.mooring.runtime.fetch.ResponseData;
import dev.mooring.sandbox.EventLoop;
import dev.mooring.sandbox.ModuleBundle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

    @TempDir
    Path data;

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

    @Test
    void aNewVersionContinuesTheCountOfTheOldOne() throws Exception {
        registry.deploy("counter", upload("counter", "Counter", "v1", MigrationSteps.NONE));
        assertEquals("v1 1", get("counter", "/COUNTER/a/"));
        assertEquals("v1 2", get("counter", "/COUNTER/a/"));

        ScriptRegistry.Deployed second = registry.deploy("counter", upload("counter", "Counter", "v2", MigrationSteps.NONE));

        assertEquals(2, second.version());
        assertEquals("v2 3", get("counter", "/COUNTER/a/"));
    }

    @Test
    void scriptsComeBackAfterARestart() throws Exception {
        registry.deploy("counter", upload("counter", "Counter", "v1", MigrationSteps.NONE));
        registry.deploy("counter", upload("counter", "Counter", "v2", MigrationSteps.NONE));
        assertEquals("v2 1", get("counter", "/COUNTER/a/"));

        restart();

        assertEquals("v2 2", get("counter", "/COUNTER/a/"));
        assertEquals(List.of(1, 2), registry.describe("counter").versions());
    }

    @Test
    void aScriptThatFailsToLoadLeavesThePreviousVersionServing() throws Exception {
        registry.deploy("counter", upload("counter", "Counter", "v1", MigrationSteps.NONE));
        ScriptDefinition broken = definition("counter", "Counter", "export class Counter {\n  fetch( {\n}\n");

        DeployException error = assertThrows(DeployException.class, () -> registry.deploy("counter",
                new ScriptRegistry.Upload(broken, MigrationSteps.NONE, List.of())));

        assertEquals(400, error.status());
        assertTrue(error.getMessage().contains("Syntax error in worker.js at line 4, column 1"), error.getMessage());
        assertEquals("v1 1", get("counter", "/COUNTER/a/"));
        assertEquals(1, registry.describe("counter").summary().version());
    }

    @Test
    void aRenamedClassKeepsItsObjects() throws Exception {
        MigrationSteps create = new MigrationSteps(null, "v1", List.of(step(List.of("Counter"), List.of(), List.of())));
        registry.deploy("counter", upload("counter", "Counter", "v1", create));
        assertEquals("v1 1", get("counter", "/COUNTER/a/"));

        MigrationSteps rename = new MigrationSteps("v1", "v2",
                List.of(step(List.of(), List.of(new Migration.RenamedClass("Counter", "Tally")), List.of())));
        registry.deploy("counter", upload("counter", "Tally", "v2", rename));

        assertEquals("v2 2", get("counter", "/COUNTER/a/"));
        assertEquals("v2", registry.describe("counter").version().migrationTag());
    }

    @Test
    void aDeletedClassLosesItsObjectsAndAClassCreatedAgainStartsEmpty() throws Exception {
        MigrationSteps create = new MigrationSteps(null, "v1", List.of(step(List.of("Counter"), List.of(), List.of())));
        registry.deploy("counter", upload("counter", "Counter", "v1", create));
        assertEquals("v1 1", get("counter", "/COUNTER/a/"));

        MigrationSteps delete = new MigrationSteps("v1", "v2", List.of(step(List.of(), List.of(), List.of("Counter"))));
        registry.deploy("counter", new ScriptRegistry.Upload(definitionWithoutBindings("counter"), delete, List.of()));
        MigrationSteps again = new MigrationSteps("v2", "v3", List.of(step(List.of("Counter"), List.of(), List.of())));
        registry.deploy("counter", upload("counter", "Counter", "v3", again));

        assertEquals("v3 1", get("counter", "/COUNTER/a/"));
    }

    @Test
    void aStaleOldTagIsAConflict() throws Exception {
        MigrationSteps create = new MigrationSteps(null, "v1", List.of(step(List.of("Counter"), List.of(), List.of())));
        registry.deploy("counter", upload("counter", "Counter", "v1", create));

        MigrationSteps stale = new MigrationSteps("v0", "v2", List.of());
        DeployException error = assertThrows(DeployException.class,
                () -> registry.deploy("counter", upload("counter", "Counter", "v2", stale)));

        assertEquals(409, error.status());
        assertTrue(error.getMessage().contains("old_tag is \"v0\", but script counter is at tag \"v1\""), error.getMessage());
    }

    @Test
    void aDeletedScriptKeepsItsStorageUnlessAsked() throws Exception {
        registry.deploy("counter", upload("counter", "Counter", "v1", MigrationSteps.NONE));
        assertEquals("v1 1", get("counter", "/COUNTER/a/"));

        registry.delete("counter", false);
        assertEquals(404, status("counter", "/COUNTER/a/"));
        registry.deploy("counter", upload("counter", "Counter", "v1", MigrationSteps.NONE));
        assertEquals("v1 2", get("counter", "/COUNTER/a/"), "a script of the same name finds the kept storage");

        registry.delete("counter", true);
        registry.deploy("counter", upload("counter", "Counter", "v1", MigrationSteps.NONE));
        assertEquals("v1 1", get("counter", "/COUNTER/a/"));
    }

    @Test
    void invalidScriptNamesAreRejected() {
        for (String name : List.of("", "Upper", "-dash", "dash-", "has.dot", "has_underscore", "x".repeat(64))) {
            DeployException error = assertThrows(DeployException.class, () -> ScriptRegistry.checkName(name));
            assertEquals(400, error.status(), name);
        }
    }

    // ---- Helpers --------------------------------------------------------------------------------

    private void restart() {
        registry.close();
        services.close();
        services = startServices(data);
        registry = ScriptRegistry.open(services, data, Duration.ofSeconds(5));
    }

    private static HostServices startServices(Path data) {
        return HostServices.start(new HostServices.Settings(data, 2, Duration.ofSeconds(30), Duration.ofSeconds(10),
                LmdbStore.Options.defaults().withInitialMapSizeBytes(64L << 20),
                new HttpFrontend.Settings("127.0.0.1", 0, 1, 1 << 20), new ManualTicker()));
    }

    private static Migration step(List<String> created, List<Migration.RenamedClass> renamed, List<String> deleted) {
        return new Migration("", created, List.of(), renamed, deleted);
    }

    private static ScriptRegistry.Upload upload(String script, String className, String version, MigrationSteps steps) {
        String source = COUNTER.replace("CLASS", className).replace("VERSION", version);
        return new ScriptRegistry.Upload(definition(script, className, source), steps, List.of());
    }

    private static ScriptDefinition definition(String script, String className, String source) {
        ModuleBundle bundle = new ModuleBundle("worker.js", Map.of("worker.js",
                new ModuleBundle.Module("worker.js", ModuleBundle.ModuleType.ES_MODULE, source.getBytes(StandardCharsets.UTF_8))));
        return new ScriptDefinition(script, null, Map.of(), List.of(new DurableObjectBinding("COUNTER", className)),
                Map.of(className, StorageKind.KEY_VALUE), bundle, "");
    }

    private static ScriptDefinition definitionWithoutBindings(String script) {
        ModuleBundle bundle = new ModuleBundle("worker.js", Map.of("worker.js", new ModuleBundle.Module("worker.js",
                ModuleBundle.ModuleType.ES_MODULE, "export default { fetch() { return new Response('none'); } };"
                        .getBytes(StandardCharsets.UTF_8))));
        return new ScriptDefinition(script, null, Map.of(), List.of(), Map.of(), bundle, "");
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
