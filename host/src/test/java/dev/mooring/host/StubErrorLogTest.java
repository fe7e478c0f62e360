package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An error that an object throws and its caller passes on without catching it is logged once with
 * its JS stack, where it was thrown. The caller's line is short: it names the object and states
 * that the error was passed on. An error the caller makes itself keeps its full line.
 */
class StubErrorLogTest {

    private static final String SCRIPT_LOG = "mooring.script.relay";

    /**
     * The object throws from {@code throwInFetch} in fetch() and from its RPC method {@code fail()}.
     * The Worker passes both on uncaught at {@code /fetch} and {@code /rpc}, wraps the error at
     * {@code /wrapped}, and an object passes another object's error on at {@code /chain}.
     */
    private static final String WORKER = """
            import { DurableObject } from "cloudflare:workers";

            function throwInFetch() { throw new RangeError("no such thing"); }

            export class Relay extends DurableObject {
              async fetch(request) {
                if (new URL(request.url).pathname === "/chain") {
                  return this.env.RELAY.getByName("inner").fetch("http://relay/throw");
                }
                throwInFetch();
              }
              fail() { throw new TypeError("bad call"); }
            }

            export default {
              async fetch(request, env) {
                const path = new URL(request.url).pathname;
                const stub = env.RELAY.getByName("outer");
                if (path === "/fetch") return stub.fetch(request);
                if (path === "/chain") return stub.fetch(request);
                if (path === "/rpc") return new Response(await stub.fail());
                try {
                  await stub.fail();
                } catch (error) {
                  throw new Error("wrapped: " + error.message);
                }
              }
            };
            """;

    @TempDir
    Path project;

    @TempDir
    Path data;

    @BeforeEach
    void writeProject() throws Exception {
        TestHost.writeProject(project, Map.of("wrangler.toml", TestHost.configWithClass("relay", "RELAY", "Relay"),
                "worker.js", WORKER));
    }

    /** Requests {@code path}, checks the status, and returns the lines of the script's log. */
    private List<String> scriptLines(String path, int expectedStatus) throws Exception {
        try (LogCapture logs = LogCapture.of(SCRIPT_LOG); TestHost host = TestHost.start(project, data)) {
            HttpResponse<String> response = host.get(path);
            assertEquals(expectedStatus, response.statusCode(), response.body());
            return logs.lines();
        }
    }

    /** Returns the object label in the line of {@code lines} that starts with {@code start}. */
    private static String labelOfLine(List<String> lines, String start) {
        Pattern label = Pattern.compile(Pattern.quote(start) + "\\[(Relay [0-9a-f]{12})\\]");
        for (String line : lines) {
            Matcher matcher = label.matcher(line);
            if (matcher.lookingAt()) {
                return matcher.group(1);
            }
        }
        throw new AssertionError("no line starting with " + start + " in " + lines);
    }

    private static long linesContaining(List<String> lines, String text) {
        return lines.stream().filter(line -> line.contains(text)).count();
    }

    private static String passedOn(String label) {
        return " (passed on unchanged from Durable Object " + label + ", whose log line has the stack)";
    }

    @Test
    void objectFetchErrorLoggedOnceWithStack() throws Exception {
        List<String> lines = scriptLines("/fetch", 500);

        String object = labelOfLine(lines, SCRIPT_LOG + " WARN ");
        assertEquals(1, linesContaining(lines, "at throwInFetch (worker.js:3:"), "stack lines: " + lines);
        assertTrue(lines.contains(SCRIPT_LOG + " WARN [" + object + "] Uncaught exception in fetch(): RangeError: no such thing\n"
                + "    at throwInFetch (worker.js:3:33)\n    at Relay.fetch (worker.js:10:5)"), "object line: " + lines);
        assertTrue(lines.contains(SCRIPT_LOG + " WARN Uncaught exception in the Worker's fetch(): RangeError: no such thing"
                + passedOn(object)), "worker line: " + lines);
        assertEquals(2, lines.size(), "lines: " + lines);
    }

    @Test
    void rpcErrorLoggedOnceWithStack() throws Exception {
        List<String> lines = scriptLines("/rpc", 500);

        String object = labelOfLine(lines, SCRIPT_LOG + " INFO ");
        assertEquals(1, linesContaining(lines, "at Relay.fail (worker.js:12:"), "stack lines: " + lines);
        assertTrue(lines.contains(SCRIPT_LOG + " WARN Uncaught exception in the Worker's fetch(): TypeError: bad call"
                + passedOn(object)), "worker line: " + lines);
        assertEquals(2, lines.size(), "lines: " + lines);
    }

    @Test
    void passedOnErrorNamesObjectThatThrew() throws Exception {
        List<String> lines = scriptLines("/chain", 500);

        String inner = labelOfLine(lines.stream().filter(line -> line.contains("\n    at ")).toList(), SCRIPT_LOG + " WARN ");
        String outer = labelOfLine(lines.stream().filter(line -> line.contains("passed on")).toList(), SCRIPT_LOG + " WARN ");
        assertNotEquals(inner, outer);
        assertEquals(1, linesContaining(lines, "at throwInFetch (worker.js:3:"), "stack lines: " + lines);
        assertTrue(lines.contains(SCRIPT_LOG + " WARN [" + outer + "] Uncaught exception in fetch(): RangeError: no such thing"
                + passedOn(inner)), "outer object's line: " + lines);
        assertTrue(lines.contains(SCRIPT_LOG + " WARN Uncaught exception in the Worker's fetch(): RangeError: no such thing"
                + passedOn(inner)), "worker line: " + lines);
        assertEquals(3, lines.size(), "lines: " + lines);
    }

    @Test
    void wrappedErrorKeepsItsStack() throws Exception {
        List<String> lines = scriptLines("/wrapped", 500);

        assertEquals(1, linesContaining(lines, "at Relay.fail (worker.js:12:"), "object's stack lines: " + lines);
        assertTrue(lines.stream().anyMatch(line -> line.startsWith(SCRIPT_LOG + " WARN Uncaught exception in the Worker's fetch():"
                + " Error: wrapped: bad call\n    at Object.fetch (worker.js:")), "worker line: " + lines);
        assertEquals(0, linesContaining(lines, "passed on"), "lines: " + lines);
    }
}
