package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.host.egress.EgressPolicy;
import dev.mooring.host.egress.EgressSettings;
import dev.mooring.host.objects.EventFailure;
import dev.mooring.host.objects.ResponseSink;
import dev.mooring.host.objects.ScriptRuntime;
import dev.mooring.host.project.ProjectLoader;
import dev.mooring.runtime.fetch.RequestData;
import dev.mooring.runtime.fetch.ResponseData;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Sandbox escape attempts by guest code on a real host, each failing in one exact way. Guest code
 * gets no host classes or polyglot bindings, no files beyond the script's own modules, no code
 * generation from strings, no process and no shared memory to block on. Outbound fetch() stops at
 * the allowlist and at loopback and link-local addresses. No script reaches another script's
 * globals, built-ins, objects, storage or log.
 *
 * <p>Two scripts, alpha and beta, run on one host: the test host serves alpha over HTTP, and beta
 * is a second runtime on the same services, called directly.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EscapeAttemptTest {

    private static String config(String name) {
        return """
                name = "%s"
                main = "worker.js"
                [durable_objects]
                bindings = [ { name = "ROOM", class_name = "Room" } ]
                [[migrations]]
                tag = "v1"
                new_classes = ["Room"]
                """.formatted(name);
    }

    /**
     * Both scripts share this module. {@code /attempt?code=...} runs the code as the body of an async
     * function and returns "value: ..." or "threw Name: message" (first line only).
     */
    private static final String WORKER = """
            const attempts = {};
            export class Room {
              constructor(state) { this.state = state; }
              async fetch(request) {
                const url = new URL(request.url);
                if (url.pathname === "/write") { await this.state.storage.put("secret", url.searchParams.get("value")); return new Response("ok"); }
                return new Response(String(await this.state.storage.get("secret")));
              }
            }
            async function attempt(code) {
              try {
                const run = attempts[code];
                return "value: " + String(await run());
              } catch (e) {
                const message = String(e && e.message).split("\\n")[0];
                return "threw " + (e && e.name) + ": " + message;
              }
            }
            export default {
              async fetch(request, env) {
                const url = new URL(request.url);
                const code = url.searchParams.get("code");
                if (url.pathname === "/attempt") return new Response(await attempt(code));
                if (url.pathname === "/id") return new Response(env.ROOM.idFromName("shared").toString());
                if (url.pathname === "/room") return env.ROOM.get(env.ROOM.idFromName("shared")).fetch("https://room" + url.search.replace("?", "/write?"));
                if (url.pathname === "/room-read") return env.ROOM.get(env.ROOM.idFromName("shared")).fetch("https://room/read");
                if (url.pathname === "/open") {
                  try { env.ROOM.idFromString(url.searchParams.get("id")); return new Response("opened"); }
                  catch (e) { return new Response("threw " + e.name + ": " + e.message); }
                }
                if (url.pathname === "/log") { console.log(url.searchParams.get("text")); return new Response("logged"); }
                if (url.pathname === "/pollute") {
                  Object.prototype.polluted = "polluted";
                  Array.prototype.findLast = () => "hijacked";
                  JSON.parse = () => "hijacked";
                  globalThis.alphaSecret = "alpha's global";
                  return new Response("polluted");
                }
                if (url.pathname === "/inspect") {
                  return new Response([String(({}).polluted), String(JSON.parse("1")), String([1, 2].findLast(() => true)),
                    typeof alphaSecret].join("|"));
                }
                return new Response("not found", { status: 404 });
              }
            };
            """;

    /** Attempts by name; each is the body of an async function in the guest. */
    private static final String ATTEMPTS = """
            Object.assign(attempts, {
              javaType: () => Java.type("java.lang.Runtime"),
              polyglotImport: () => Polyglot.import("secret"),
              polyglotEval: () => Polyglot.eval("js", "1 + 1"),
              load: () => load("/etc/passwd"),
              packages: () => Packages.java.lang.System.exit(1),
              javaPackage: () => java.lang.Runtime.getRuntime(),
              processEnv: () => process.env.HOME,
              requireFs: () => require("fs"),
              evalCall: () => eval("1 + 1"),
              functionConstructor: () => new Function("return 1")(),
              constructorChain: () => globalThis.constructor.constructor("return this")(),
              asyncFunctionConstructor: () => (async () => {}).constructor("return 1")(),
              staticFileImport: async () => (await import("./evil.js")).default,
              fileUrlImport: async () => (await import("file:///etc/passwd")).default,
              absolutePathImport: async () => (await import("/etc/passwd")).default,
              parentPathImport: async () => (await import("../../../../../etc/passwd")).default,
              remoteImport: async () => (await import("http://127.0.0.1:9/x.js")).default,
              sharedArrayBuffer: () => typeof SharedArrayBuffer,
              atomicsWait: () => Atomics.wait(new Int32Array(4), 0, 0),
              webAssembly: () => typeof WebAssembly,
              fetchLoopback: async () => (await fetch("http://127.0.0.1:9/")).status,
              fetchLoopbackByName: async () => (await fetch("http://localhost:9/")).status,
              fetchUnlistedHost: async () => (await fetch("https://example.com/")).status,
              fetchMetadataAddress: async () => (await fetch("http://169.254.169.254/latest/meta-data/")).status,
              hostGlobals: () => {
                const forbidden = ["Java", "Polyglot", "Packages", "java", "javax", "com", "org", "load", "loadWithNewGlobal",
                  "print", "printErr", "Graal", "quit", "exit", "read", "readbuffer", "readline", "process", "require",
                  "module", "host", "internals", "SharedArrayBuffer", "WebAssembly"];
                const found = Object.getOwnPropertyNames(globalThis).filter((name) => forbidden.includes(name));
                return found.length === 0 ? "none" : found.join(",");
              },
            });
            """;

    private Path alphaProject;
    private Path betaProject;
    private Path data;
    private TestHost host;
    private ScriptRuntime beta;

    @BeforeAll
    void startBothScripts() throws Exception {
        Path root = Files.createTempDirectory("escape-attempts");
        alphaProject = root.resolve("alpha");
        betaProject = root.resolve("beta");
        data = root.resolve("data");
        for (Path project : List.of(alphaProject, betaProject)) {
            TestHost.writeProject(project, Map.of(
                    "wrangler.toml", config(project.getFileName().toString()),
                    "worker.js", WORKER + ATTEMPTS,
                    "evil.js", "import secret from \"file:///etc/passwd\";\nexport default secret;\n"));
        }
        // Outbound fetch() is on for two names only; "localhost" is listed by name, which does not
        // admit the loopback address it resolves to.
        EgressSettings egress = new EgressSettings(EgressPolicy.parse("example.org,localhost"), Duration.ofSeconds(5), 1 << 20);
        host = TestHost.start(alphaProject, data, TestHost.Options.defaults().withEgress(egress));
        beta = host.services().newRuntime(new ProjectLoader(warning -> {}).load(betaProject));
        beta.start();
    }

    @AfterAll
    void stop() throws Exception {
        beta.close();
        host.close();
    }

    private String alpha(String path) throws Exception {
        return host.get(path).body();
    }

    private String beta(String path) throws Exception {
        return call(beta, path);
    }

    /** Sends a GET straight to a runtime, as the frontend would, and returns the body or the failure. */
    private static String call(ScriptRuntime runtime, String path) throws Exception {
        CompletableFuture<String> body = new CompletableFuture<>();
        runtime.handle(new RequestData("GET", "http://beta.test" + path, List.of(), null), new ResponseSink() {
            @Override
            public void complete(ResponseData response) {
                body.complete(new String(response.body(), StandardCharsets.UTF_8));
            }

            @Override
            public void fail(EventFailure failure) {
                body.complete("failed " + failure.name() + ": " + failure.message());
            }
        });
        return body.get(60, TimeUnit.SECONDS);
    }

    private String attempt(String code) throws Exception {
        return alpha("/attempt?code=" + URLEncoder.encode(code, StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "javaType                 | threw ReferenceError: Java is not defined",
        "polyglotImport           | threw ReferenceError: Polyglot is not defined",
        "polyglotEval             | threw ReferenceError: Polyglot is not defined",
        "load                     | threw ReferenceError: load is not defined",
        "packages                 | threw ReferenceError: Packages is not defined",
        "javaPackage              | threw ReferenceError: java is not defined",
        "processEnv               | threw ReferenceError: process is not defined",
        "requireFs                | threw ReferenceError: require is not defined",
        "evalCall                 | threw EvalError: dynamic evaluation of code is disabled.",
        "functionConstructor      | threw EvalError: dynamic evaluation of code is disabled.",
        "constructorChain         | threw EvalError: dynamic evaluation of code is disabled.",
        "asyncFunctionConstructor | threw EvalError: dynamic evaluation of code is disabled.",
        "staticFileImport         | threw Error: Cannot find module '/etc/passwd' imported from /evil.js",
        "fileUrlImport            | threw Error: Cannot find module '/etc/passwd' imported from /worker.js",
        "absolutePathImport       | threw Error: Cannot find module '/etc/passwd' imported from /worker.js",
        "parentPathImport         | threw Error: Cannot find module '/etc/passwd' imported from /worker.js",
        "remoteImport             | threw Error: Error reading module 'http://127.0.0.1:9/x.js' imported from /worker.js: Socket IO is not allowed",
        "sharedArrayBuffer        | value: undefined",
        "atomicsWait              | threw TypeError: Cannot execute on non-shared array.",
        "webAssembly              | value: undefined",
        "fetchLoopback            | threw Error: fetch() to 127.0.0.1 was blocked because an IP address in a URL must be listed by address, and 127.0.0.1 is not. To allow it, add 127.0.0.1 to the --allow-fetch option of the host, such as --allow-fetch example.org,localhost,127.0.0.1.",
        "fetchLoopbackByName      | threw Error: fetch() to localhost was blocked because it resolves to *",
        "fetchUnlistedHost        | threw Error: fetch() to example.com was blocked because the host is not on the allowlist. To allow it, add example.com to the --allow-fetch option of the host, such as --allow-fetch example.org,localhost,example.com.",
        "fetchMetadataAddress     | threw Error: fetch() to 169.254.169.254 was blocked because an IP address in a URL must be listed by address, and 169.254.169.254 is not. To allow it, add 169.254.169.254 to the --allow-fetch option of the host, such as --allow-fetch example.org,localhost,169.254.169.254.",
        "hostGlobals              | value: none",
    })
    void guestAttemptFails(String code, String expected) throws Exception {
        String outcome = attempt(code);
        if (expected.endsWith("*")) {
            // The rest names the loopback address the name resolved to, 127.0.0.1 or ::1.
            assertTrue(outcome.startsWith(expected.substring(0, expected.length() - 1)), outcome);
        } else {
            assertEquals(expected, outcome);
        }
    }

    @Test
    void builtInChangesStayInTheirScript() throws Exception {
        // Changing built-ins can also break the polluting script's own runtime code, so two scripts
        // of their own take part, and the other tests keep working. Requests go to the shards in turn.
        try (ScriptRuntime polluter = startScript("polluter"); ScriptRuntime inspector = startScript("inspector")) {
            int shards = host.services().loops().size();
            for (int shard = 0; shard < shards; shard++) {
                assertEquals("polluted", call(polluter, "/pollute"));
            }

            for (int shard = 0; shard < shards; shard++) {
                assertEquals("polluted|hijacked|hijacked|string", call(polluter, "/inspect"), "the polluter sees its change");
                assertEquals("undefined|1|2|undefined", call(inspector, "/inspect"), "the other script does not");
            }
        }
    }

    private ScriptRuntime startScript(String name) throws Exception {
        Path project = data.getParent().resolve(name);
        TestHost.writeProject(project, Map.of("wrangler.toml", config(name), "worker.js", WORKER + ATTEMPTS));
        ScriptRuntime runtime = host.services().newRuntime(new ProjectLoader(warning -> {}).load(project));
        runtime.start();
        return runtime;
    }

    @Test
    void otherScriptsObjectIdIsRejected() throws Exception {
        String alphaId = alpha("/id");

        assertEquals("opened", alpha("/open?id=" + alphaId), "the ID is valid in its own namespace");
        assertEquals("threw TypeError: Durable Object ID is not valid for this namespace.", beta("/open?id=" + alphaId));
    }

    @Test
    void sameNamedObjectsHaveSeparateStorage() throws Exception {
        assertEquals("ok", alpha("/room?value=alpha-secret"));

        assertEquals("undefined", beta("/room-read"));
        assertEquals("alpha-secret", alpha("/room-read"));
    }

    @Test
    void consoleLinesGoToTheirScriptsLog() throws Exception {
        try (LogCapture capture = LogCapture.of("mooring.script")) {
            assertEquals("logged", alpha("/log?text=alpha-marker-7f3a"));
            assertEquals("logged", beta("/log?text=beta-marker-91c2"));

            assertTrue(capture.contains("mooring.script.alpha", "alpha-marker-7f3a"), capture.lines().toString());
            assertTrue(capture.contains("mooring.script.beta", "beta-marker-91c2"), capture.lines().toString());
            assertFalse(capture.contains("mooring.script.beta", "alpha-marker-7f3a"), capture.lines().toString());
            assertFalse(capture.contains("mooring.script.alpha", "beta-marker-91c2"), capture.lines().toString());
        }
    }
}
