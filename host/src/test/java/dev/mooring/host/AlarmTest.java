package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mooring.host.objects.ScriptRuntime;
import dev.mooring.host.project.ProjectLoader;
import dev.mooring.host.project.ScriptDefinition;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable Object alarms as workerd runs them. An object has one alarm, which runs once when due
 * with workerd's alarmInfo and is deleted after a run that succeeded. A run that failed is
 * retried. The alarm outlives a restart of the host, and deleteAlarm() cancels it.
 */
class AlarmTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    @TempDir
    Path project;

    @TempDir
    Path data;

    @TempDir
    Path project2;

    @BeforeEach
    void writeProjects() throws Exception {
        TestHost.writeProject(project, files("1"));
        TestHost.writeProject(project2, files("2"));
    }

    private static Map<String, String> files(String version) {
        return Map.of(
                "wrangler.toml", """
                        name = "alarms"
                        main = "worker.js"
                        [durable_objects]
                        bindings = [ { name = "CLOCK", class_name = "Clock" }, { name = "PLAIN", class_name = "Plain" } ]
                        [[migrations]]
                        tag = "v1"
                        new_classes = ["Clock", "Plain"]
                        """,
                "worker.js", """
                        export class Clock {
                          constructor(state) {
                            this.state = state;
                            this.storage = state.storage;
                          }
                          async fetch(request) {
                            const url = new URL(request.url);
                            const action = url.pathname.split("/").pop();
                            const after = Number(url.searchParams.get("in") ?? 0);
                            if (action === "set") {
                              await this.storage.setAlarm(Date.now() + after);
                              return new Response(String((await this.storage.getAlarm()) !== null));
                            }

                            if (action === "abort") {
                              await this.storage.put("abort", url.searchParams.get("retry") === "no" ? "no-retry" : "retry");
                              await this.storage.setAlarm(Date.now());
                              return new Response("set");
                            }

                            if (action === "fail") {
                              await this.storage.put("fail", Number(url.searchParams.get("times")));
                              await this.storage.setAlarm(new Date(Date.now() + after));
                              return new Response("set");
                            }

                            if (action === "get") return new Response(String(await this.storage.getAlarm()));

                            if (action === "far") {
                              const time = Date.now() + 1e14;
                              await this.storage.setAlarm(time);
                              return new Response(String((await this.storage.getAlarm()) === time));
                            }

                            if (action === "delete") {
                              await this.storage.deleteAlarm();
                              return new Response("deleted");
                            }

                            if (action === "runs") return Response.json((await this.storage.get("runs")) ?? []);

                            if (action === "txn") {
                              const rollback = url.searchParams.has("rollback");
                              await this.storage.transaction(async (txn) => {
                                await txn.put("touched", true);
                                await txn.setAlarm(Date.now() + 60000);
                                if ((await txn.getAlarm()) === null) throw new Error("the transaction does not see its alarm");
                                if (rollback) txn.rollback();
                              });
                              return new Response(String((await this.storage.getAlarm()) !== null));
                            }

                            if (action === "bad") {
                              const errors = [];
                              for (const time of [0, -5, "soon", NaN, 8.64e15 + 1]) {
                                try { await this.storage.setAlarm(time); } catch (e) { errors.push(e.name + ": " + e.message); }
                              }
                              return Response.json(errors);
                            }

                            return new Response("unknown action " + action, { status: 404 });
                          }
                          async alarm(info) {
                            const runs = (await this.storage.get("runs")) ?? [];
                            runs.push({ retryCount: info.retryCount, isRetry: info.isRetry, during: await this.storage.getAlarm(),
                                name: this.state.id.name ?? null, scheduled: typeof info.scheduledTime, version: "VERSION" });
                            await this.storage.put("runs", runs);
                            const abort = await this.storage.get("abort");
                            if (abort !== undefined) {
                              await this.storage.delete("abort");
                              await this.storage.sync();
                              this.state.abort("aborted on purpose", abort === "no-retry" ? { retryAlarm: false } : undefined);
                            }
                            const fail = (await this.storage.get("fail")) ?? 0;
                            if (fail > 0) {
                              await this.storage.put("fail", fail - 1);
                              throw new Error("alarm failed on purpose");
                            }
                          }
                        }
                        export class Plain {
                          constructor(state) { this.state = state; }
                          async fetch() {
                            try {
                              await this.state.storage.setAlarm(Date.now() + 1000);
                              return new Response("set");
                            } catch (e) {
                              return new Response(e.name + ": " + e.message);
                            }
                          }
                        }
                        """.replace("VERSION", version));
    }

    @Test
    void alarmRunsOnceWhenDueAndIsDeleted() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            assertEquals("true", host.get("/CLOCK/kitchen/set?in=200").body());

            JsonNode runs = awaitRuns(host, "kitchen", 1);

            JsonNode run = runs.get(0);
            assertEquals(0, run.get("retryCount").asInt());
            assertEquals(false, run.get("isRetry").asBoolean());
            assertTrue(run.get("during").isNull(), "getAlarm() inside the handler: " + run);
            assertEquals("kitchen", run.get("name").asText());
            assertEquals("number", run.get("scheduled").asText());
            assertEquals("null", host.get("/CLOCK/kitchen/get").body());
            Thread.sleep(500);
            assertEquals(1, runs(host, "kitchen").size(), "the alarm ran once");
        }
    }

    @Test
    void failedAlarmRunsAgainAsARetry() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            assertEquals("set", host.get("/CLOCK/flaky/fail?times=1").body());

            JsonNode runs = awaitRuns(host, "flaky", 2);

            assertEquals(0, runs.get(0).get("retryCount").asInt());
            assertEquals(1, runs.get(1).get("retryCount").asInt());
            assertEquals(true, runs.get(1).get("isRetry").asBoolean());
            assertEquals("null", host.get("/CLOCK/flaky/get").body(), "deleted after the retry succeeded");
        }
    }

    @Test
    void abortWithoutRetryGivesTheAlarmUp() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            assertEquals("set", host.get("/CLOCK/shed/abort?retry=yes").body());
            assertEquals("set", host.get("/CLOCK/barn/abort?retry=no").body());

            assertEquals(2, awaitRuns(host, "shed", 2).size(), "an abort runs the alarm again");
            assertEquals(1, runs(host, "barn").size());
            assertEquals("null", host.get("/CLOCK/barn/get").body(), "given up and deleted");
        }
    }

    @Test
    void alarmOutlivesARestartOfTheHost() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            assertEquals("true", host.get("/CLOCK/cellar/set?in=1500").body());
        }
        try (TestHost host = TestHost.start(project, data)) {
            JsonNode runs = awaitRuns(host, "cellar", 1);

            assertEquals("cellar", runs.get(0).get("name").asText(), "the new instance keeps the ID's name");
            assertEquals("null", host.get("/CLOCK/cellar/get").body());
        }
    }

    @Test
    void alarmCenturiesAheadWaits() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            assertEquals("true", host.get("/CLOCK/vault/far").body());

            Thread.sleep(500);

            assertEquals(0, runs(host, "vault").size(), "a far alarm must not overflow the timer and run at once");
        }
    }

    @Test
    void deletedAlarmDoesNotRun() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            host.get("/CLOCK/attic/set?in=300");
            assertEquals("deleted", host.get("/CLOCK/attic/delete").body());

            Thread.sleep(1_000);

            assertEquals(0, runs(host, "attic").size());
            assertEquals("null", host.get("/CLOCK/attic/get").body());
        }
    }

    @Test
    void setAlarmRejectsInvalidInput() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            JsonNode errors = JSON.readTree(host.get("/CLOCK/hall/bad").body());
            assertEquals("TypeError: setAlarm() cannot be called with an alarm time <= 0", errors.get(0).asText());
            assertEquals("TypeError: setAlarm() cannot be called with an alarm time <= 0", errors.get(1).asText());
            assertEquals("TypeError: setAlarm() takes a Date or a number of milliseconds since the epoch, such as"
                    + " Date.now() + 60000; it got string.", errors.get(2).asText());
            assertEquals("TypeError: setAlarm() got NaN, which is not a time (an invalid Date gives NaN). Pass a Date or a"
                    + " number of milliseconds since the epoch.", errors.get(3).asText());
            assertEquals("TypeError: setAlarm() got 8640000000000001, which is later than the latest Date (8640000000000000 ms"
                    + " since the epoch). To stop an alarm, call deleteAlarm().", errors.get(4).asText());

            assertEquals("TypeError: Your Durable Object class must have an alarm() handler in order to call setAlarm()",
                    host.get("/PLAIN/hall/").body());
        }
    }

    @Test
    void transactionSetsTheAlarmOnlyWhenItCommits() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            assertEquals("false", host.get("/CLOCK/porch/txn?rollback").body());
            assertEquals("true", host.get("/CLOCK/porch/txn").body());
        }
    }

    @Test
    void newVersionRunsPendingAlarmOnce() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            ScriptRuntime first = host.runtime();
            assertEquals("true", host.get("/CLOCK/study/set?in=800").body());

            ScriptDefinition next = new ProjectLoader(warning -> {}).load(project2).definition();
            ScriptRuntime second = host.services().newRuntime(next, first.loops(), className -> "alarms-" + className);
            second.start();
            second.follow(first);
            second.startAlarms();
            first.handOver(second, Duration.ofSeconds(5), "Durable Object reset because its code was updated.")
                    .get(10, TimeUnit.SECONDS);

            JsonNode runs = awaitRuns(host, "study", 1);
            assertEquals("2", runs.get(0).get("version").asText());
            Thread.sleep(500);
            assertEquals(1, runs(host, "study").size(), "the alarm ran once, in the new version");
            second.close();
        }
    }

    private static JsonNode runs(TestHost host, String name) throws Exception {
        return JSON.readTree(host.get("/CLOCK/" + name + "/runs").body());
    }

    private static JsonNode awaitRuns(TestHost host, String name, int count) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        JsonNode runs = runs(host, name);
        while (runs.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
            runs = runs(host, name);
        }
        assertEquals(count, runs.size(), "runs of the alarm of " + name + ": " + runs);
        return runs;
    }
}
