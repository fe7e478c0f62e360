package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.host.objects.EventFailure;
import dev.mooring.host.objects.ResponseSink;
import dev.mooring.host.objects.ScriptRuntime;
import dev.mooring.host.project.ProjectLoader;
import dev.mooring.host.project.ScriptDefinition;
import dev.mooring.runtime.fetch.RequestData;
import dev.mooring.runtime.fetch.ResponseData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new version of a script takes over from the old one while requests keep arriving: no
 * acknowledged write is lost, no object runs in both versions at once, and the old version's
 * contexts close once its in-flight events are done.
 */
class VersionHandOverTest {

    private static final String CONFIG = """
            name = "counter"
            main = "worker.js"
            [durable_objects]
            bindings = [ { name = "COUNTER", class_name = "Counter" } ]
            [[migrations]]
            tag = "v1"
            new_classes = ["Counter"]
            """;

    private static String worker(String version) {
        return """
                export class Counter {
                  constructor(state) { this.state = state; }
                  async fetch(request) {
                    const path = new URL(request.url).pathname;
                    if (path === "/slow") {
                      await new Promise(resolve => setTimeout(resolve, 300));
                    }
                    if (path === "/hold") {
                      await this.state.blockConcurrencyWhile(() => new Promise(resolve => setTimeout(resolve, 300)));
                    }
                    const value = ((await this.state.storage.get("value")) ?? 0) + 1;
                    await this.state.storage.put("value", value);
                    return new Response(String(value), { headers: { "x-version": "VERSION" } });
                  }
                }
                """.replace("VERSION", version);
    }

    private static final String STUB_PASSING_WORKER = """
            import { DurableObject } from "cloudflare:workers";

            export class Counter extends DurableObject {
              async fetch() {
                // Waits so that the test can hand the script over to version 2 meanwhile.
                await new Promise((resolve) => setTimeout(resolve, 300));
                try {
                  const other = this.env.COUNTER.getByName("receiver");
                  return new Response(await other.take(this.env.DELETED_LATER.getByName("x")));
                } catch (error) {
                  return new Response(error.name + ": " + error.message, { status: 500 });
                }
              }

              take(stub) {
                return "took " + Object.prototype.toString.call(stub);
              }
            }

            export class DeletedLater extends DurableObject {}
            """;

    private static final String STUB_PASSING_CONFIG_1 = """
            name = "counter"
            main = "worker.js"
            [durable_objects]
            bindings = [ { name = "COUNTER", class_name = "Counter" }, { name = "DELETED_LATER", class_name = "DeletedLater" } ]
            [[migrations]]
            tag = "v1"
            new_classes = ["Counter", "DeletedLater"]
            """;

    private static final String STUB_PASSING_CONFIG_2 = """
            name = "counter"
            main = "worker.js"
            [durable_objects]
            bindings = [ { name = "COUNTER", class_name = "Counter" } ]
            [[migrations]]
            tag = "v1"
            new_classes = ["Counter", "DeletedLater"]
            [[migrations]]
            tag = "v2"
            deleted_classes = ["DeletedLater"]
            """;

    @TempDir
    Path project;

    @TempDir
    Path project2;

    @TempDir
    Path data;

    @BeforeEach
    void writeBothVersions() throws Exception {
        TestHost.writeProject(project, Map.of("wrangler.toml", CONFIG, "worker.js", worker("1")));
        TestHost.writeProject(project2, Map.of("wrangler.toml", CONFIG, "worker.js", worker("2")));
    }

    @Test
    void incrementsContinueAcrossAVersionChangeWithoutLoss() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            ScriptRuntime first = host.runtime();
            ScriptRuntime[] current = {first};
            Map<String, List<Integer>> acknowledged = new ConcurrentHashMap<>();
            List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            Set<String> versionsSeen = ConcurrentHashMap.newKeySet();
            CountDownLatch halfway = new CountDownLatch(4 * 50);

            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 8; c++) {
                String name = "n" + (c % 4);
                clients.add(Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < 100; i++) {
                        ResponseData response = send(current[0], "/COUNTER/" + name + "/increment", failures);
                        if (response != null) {
                            acknowledged.computeIfAbsent(name, k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                                    .add(Integer.parseInt(new String(response.body(), StandardCharsets.UTF_8)));
                            versionsSeen.add(header(response, "x-version"));
                        }
                        halfway.countDown();
                    }
                }));
            }

            assertTrue(halfway.await(60, TimeUnit.SECONDS), "the first half of the increments finished");
            HandOver handOver = handOverToVersion2(host, first);
            ScriptRuntime second = handOver.second();
            CompletableFuture<Void> retired = handOver.retired();
            current[0] = second;
            for (Thread client : clients) {
                client.join(60_000);
            }
            retired.get(30, TimeUnit.SECONDS);

            assertEquals(List.of(), failures, "no request failed across the version change");
            assertEquals(Set.of("1", "2"), versionsSeen, "both versions answered");
            for (Map.Entry<String, List<Integer>> entry : acknowledged.entrySet()) {
                List<Integer> values = entry.getValue();
                assertEquals(200, values.size(), "acknowledged increments of " + entry.getKey());
                assertEquals(new HashSet<>(values).size(), values.size(), "no value was returned twice for " + entry.getKey());
                ResponseData last = send(second, "/COUNTER/" + entry.getKey() + "/read", failures);
                assertEquals("201", new String(last.body(), StandardCharsets.UTF_8), "the count continued in version 2");
            }
            assertEquals(0, first.liveObjects(), "the old version holds no object after its retirement");
            second.close();
        }
    }

    @Test
    void anInFlightEventFinishesOnTheOldVersionBeforeTheNewOneStarts() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            ScriptRuntime first = host.runtime();
            List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<ResponseData> slow = sendAsync(first, "/COUNTER/a/slow");

            HandOver handOver = handOverToVersion2(host, first);
            ScriptRuntime second = handOver.second();
            CompletableFuture<Void> retired = handOver.retired();
            ResponseData after = send(second, "/COUNTER/a/increment", failures);
            ResponseData before = slow.get(10, TimeUnit.SECONDS);
            retired.get(10, TimeUnit.SECONDS);

            assertEquals("1", new String(before.body(), StandardCharsets.UTF_8));
            assertEquals("1", header(before, "x-version"));
            assertEquals("2", new String(after.body(), StandardCharsets.UTF_8), "version 2 saw version 1's write");
            assertEquals("2", header(after, "x-version"));
            assertEquals(List.of(), failures);
            second.close();
        }
    }

    @Test
    void forwardedRequestsReleaseQueueCounts() throws Exception {
        try (TestHost host = TestHost.start(project, data)) {
            ScriptRuntime first = host.runtime();
            CompletableFuture<ResponseData> holding = sendAsync(first, "/COUNTER/a/hold");
            HandOver handOver = handOverToVersion2(host, first);
            ScriptRuntime second = handOver.second();
            CompletableFuture<Void> retired = handOver.retired();

            List<CompletableFuture<ResponseData>> late = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                late.add(sendAsync(first, "/COUNTER/a/increment"));
            }
            holding.get(10, TimeUnit.SECONDS);
            List<String> values = new ArrayList<>();
            List<String> versions = new ArrayList<>();
            for (CompletableFuture<ResponseData> request : late) {
                ResponseData response = request.get(10, TimeUnit.SECONDS);
                values.add(new String(response.body(), StandardCharsets.UTF_8));
                versions.add(header(response, "x-version"));
            }
            retired.get(10, TimeUnit.SECONDS);

            assertEquals(List.of("2"), versions.stream().distinct().toList(), "requests sent to the retiring version");
            assertEquals(20, values.stream().distinct().count(), "each increment got its own value: " + values);
            assertEquals(0, first.requestsWaitingFor("COUNTER", "a"), "the old version still counts waiting requests");
            assertEquals(0, second.requestsWaitingFor("COUNTER", "a"), "the new version still counts waiting requests");
            assertEquals("22", new String(send(second, "/COUNTER/a/increment", new ArrayList<>()).body(), StandardCharsets.UTF_8));
            second.close();
        }
    }

    /**
     * A stub passed over RPC names its object by the storage of its class. Within one version every
     * class is bound, so only a call that crosses a deployment can carry a stub of a class that the
     * receiving version deleted.
     */
    @Test
    void stubOfDeletedClassFailsClearly() throws Exception {
        TestHost.writeProject(project, Map.of("wrangler.toml", STUB_PASSING_CONFIG_1, "worker.js", STUB_PASSING_WORKER));
        TestHost.writeProject(project2, Map.of("wrangler.toml", STUB_PASSING_CONFIG_2,
                "worker.js", STUB_PASSING_WORKER.replace("export class DeletedLater extends DurableObject {}", "")));
        try (TestHost host = TestHost.start(project, data)) {
            ScriptRuntime first = host.runtime();
            ScriptDefinition next = new ProjectLoader(warning -> {}).load(project2).definition();
            ScriptRuntime second = host.services().newRuntime(next, first.loops(), className -> "counter-" + className);
            second.start();

            CompletableFuture<ResponseData> passing = sendAsync(first, "/COUNTER/sender/");
            assertEquals(1, first.liveObjects(), "the sender runs in version 1 before the hand-over");
            second.follow(first);
            CompletableFuture<Void> retired = first.handOver(second, Duration.ofSeconds(10),
                    "Durable Object reset because its code was updated.");
            ResponseData response = passing.get(10, TimeUnit.SECONDS);
            retired.get(10, TimeUnit.SECONDS);

            String body = new String(response.body(), StandardCharsets.UTF_8);
            assertEquals(500, response.status(), body);
            assertTrue(body.startsWith("DataCloneError: A Durable Object stub was passed over RPC, but this version of the"
                    + " script has no class with the storage of its namespace."), body);
            second.close();
        }
    }

    /** The second version of the project and the retirement of the first. */
    private record HandOver(ScriptRuntime second, CompletableFuture<Void> retired) {}

    /** Starts version 2 of the project on the loops of {@code first} and hands {@code first} over to it. */
    private HandOver handOverToVersion2(TestHost host, ScriptRuntime first) throws Exception {
        ScriptDefinition next = new ProjectLoader(warning -> {}).load(project2).definition();
        ScriptRuntime second = host.services().newRuntime(next, first.loops(), className -> "counter-" + className);
        second.start();
        second.follow(first);
        CompletableFuture<Void> retired = first.handOver(second, Duration.ofSeconds(10),
                "Durable Object reset because its code was updated.");
        return new HandOver(second, retired);
    }

    private static String header(ResponseData response, String name) {
        for (int i = 0; i < response.headers().size(); i += 2) {
            if (response.headers().get(i).equalsIgnoreCase(name)) {
                return response.headers().get(i + 1);
            }
        }
        return null;
    }

    private static ResponseData send(ScriptRuntime runtime, String path, List<String> failures) {
        try {
            return sendAsync(runtime, path).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            failures.add(path + ": " + e.getMessage());
            return null;
        }
    }

    private static CompletableFuture<ResponseData> sendAsync(ScriptRuntime runtime, String path) {
        CompletableFuture<ResponseData> result = new CompletableFuture<>();
        runtime.handle(new RequestData("GET", "http://127.0.0.1" + path, List.of(), null), new ResponseSink() {
            @Override
            public void complete(ResponseData response) {
                result.complete(response);
            }

            @Override
            public void fail(EventFailure failure) {
                result.completeExceptionally(new IllegalStateException(failure.name() + ": " + failure.message()));
            }
        });
        return result;
    }
}
