package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Idle objects leave memory after the idle timeout, the eviction is logged with its count, and
 * they come back from storage on the next event.
 */
class EvictionTest {

    @TempDir
    Path project;

    @TempDir
    Path data;

    @Test
    void idleObjectIsEvictedAndRecreatedFromStorage() throws Exception {
        TestHost.writeProject(project, Map.of(
                "wrangler.toml", """
                        name = "eviction"
                        main = "worker.js"
                        [durable_objects]
                        bindings = [ { name = "COUNTER", class_name = "Counter" } ]
                        [[migrations]]
                        tag = "v1"
                        new_classes = ["Counter"]
                        """,
                "worker.js", """
                        let constructions = 0;
                        export class Counter {
                          constructor(state) { this.storage = state.storage; this.instance = ++constructions; }
                          async fetch(request) {
                            const value = ((await this.storage.get("value")) ?? 0) + 1;
                            await this.storage.put("value", value);
                            return new Response(value + " from instance " + this.instance);
                          }
                        }
                        """));
        ManualTicker ticker = new ManualTicker();
        TestHost.Options options = TestHost.Options.defaults().withTicker(ticker).withIdleTimeout(Duration.ofSeconds(10));

        try (TestHost host = TestHost.start(project, data, options);
                LogCapture logs = LogCapture.of("dev.mooring.host.objects.Shard")) {
            assertEquals("1 from instance 1", host.get("/COUNTER/a/").body());
            assertEquals("2 from instance 1", host.get("/COUNTER/a/").body());

            // The shards' periodic sweep runs on the same ticker, so it may evict before the explicit
            // sweep does; the checks are on what is in memory, not on who evicted it.
            ticker.advance(Duration.ofSeconds(9));
            host.runtime().evictIdleObjects();
            int liveBeforeTimeout = host.runtime().liveObjects();
            ticker.advance(Duration.ofSeconds(2));
            host.runtime().evictIdleObjects();
            int liveAfterTimeout = host.runtime().liveObjects();

            assertEquals(1, liveBeforeTimeout, "an object idle for less than the timeout stays");
            assertEquals(0, liveAfterTimeout, "an object idle for the timeout is evicted");
            assertEquals("3 from instance 2", host.get("/COUNTER/a/").body(), "a new instance reads the stored value");
            assertTrue(logs.lines().stream().anyMatch(line -> line.contains("Evicted 1 idle object of script eviction")
                    && line.endsWith("; 0 objects still in memory")), String.join("\n", logs.lines()));
        }
    }
}
