package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Worker whose default export is a class, as with {@code WorkerEntrypoint}: each request gets a
 * new instance made with {@code (ctx, env)}, and its {@code fetch(request)} returns the response.
 */
class WorkerEntrypointTest {

    private static final String CONFIG = """
            name = "entry"
            main = "worker.js"
            [vars]
            GREETING = "hello"
            [durable_objects]
            bindings = [ { name = "COUNTER", class_name = "Counter" } ]
            [[migrations]]
            tag = "v1"
            new_classes = ["Counter"]
            """;

    @TempDir
    Path project;

    @TempDir
    Path data;

    @Test
    void workerEntrypointClassServesRequests() throws Exception {
        TestHost.writeProject(project, Map.of("wrangler.toml", CONFIG, "worker.js", """
                import { DurableObject, WorkerEntrypoint } from "cloudflare:workers";

                export class Counter extends DurableObject {
                  async fetch(request) {
                    const value = ((await this.ctx.storage.get("value")) ?? 0) + 1;
                    await this.ctx.storage.put("value", value);
                    return new Response(String(value));
                  }
                }

                let instances = 0;

                export default class extends WorkerEntrypoint {
                  constructor(ctx, env) {
                    super(ctx, env);
                    this.number = ++instances;
                  }

                  async fetch(request) {
                    const name = new URL(request.url).pathname.slice(1);
                    const count = await (await this.env.COUNTER.get(this.env.COUNTER.idFromName(name)).fetch(request)).text();
                    const waits = typeof this.ctx.waitUntil;
                    return new Response(this.env.GREETING + " " + name + " " + count + " instance " + this.number + " " + waits);
                  }
                }
                """));
        try (TestHost host = TestHost.start(project, data, TestHost.Options.defaults().withEventLoops(1))) {
            HttpResponse<String> first = host.get("/apples");
            HttpResponse<String> second = host.get("/apples");

            assertEquals(200, first.statusCode(), first.body());
            assertEquals("hello apples 1 instance 1 function", first.body());
            assertEquals("hello apples 2 instance 2 function", second.body(), "each request gets a new instance");
        }
    }

    @Test
    void plainClassWithFetchServesRequests() throws Exception {
        TestHost.writeProject(project, Map.of("wrangler.toml", "name = \"plain\"\nmain = \"worker.js\"\n", "worker.js", """
                export default class {
                  constructor(ctx, env) { this.env = env; }
                  fetch(request) { return new Response("plain " + request.method); }
                }
                """));
        try (TestHost host = TestHost.start(project, data)) {
            assertEquals("plain GET", host.get("/").body());
        }
    }

    @Test
    void defaultExportWithoutFetchRoutesByPath() throws Exception {
        TestHost.writeProject(project, Map.of("wrangler.toml", "name = \"nofetch\"\nmain = \"worker.js\"\n", "worker.js", """
                export default class { scheduled() {} }
                """));
        try (TestHost host = TestHost.start(project, data)) {
            HttpResponse<String> response = host.get("/");

            assertEquals(404, response.statusCode());
            assertEquals("Not found. This script's main module has no default export with a fetch() handler, so requests go to"
                    + " objects at /<binding>/<name>/<path>; bindings: []\n", response.body());
        }
    }
}
