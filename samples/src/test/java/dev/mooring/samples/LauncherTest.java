package dev.mooring.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher as users run it: help, the optimizing runtime, the garbage collector it picks,
 * durability across kill -9, and the checks that stop a second host on the same storage folder or
 * a port in use before the warm-up.
 */
class LauncherTest {

    private static final Duration STARTUP = Duration.ofSeconds(90);

    @TempDir
    Path data;

    private final HttpClient client = HttpClient.newHttpClient();

    private String get(int port, String path) throws Exception {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), "GET " + path + " returned " + response.body());
        return response.body();
    }

    /** Starts {@code ./mooring dev samples/counter} on a free port with this test's data folder. */
    private LauncherProcess startCounter(String warmup) throws Exception {
        Path project = LauncherProcess.repository().resolve("samples/counter");
        return LauncherProcess.start("dev", project.toString(), "--port", "0", "--data", data.toString(), "--warmup", warmup);
    }

    @Test
    void helpListsCommandsAndOptions() throws Exception {
        try (LauncherProcess help = LauncherProcess.start("--help")) {
            assertEquals(0, help.waitFor(Duration.ofSeconds(60)), help.output());
            String output = help.output();
            assertTrue(output.contains("./mooring dev DIR"), output);
            assertTrue(output.contains("./mooring test"), output);
            for (String option : new String[] {"--port", "--host", "--data", "--cpu-limit", "--idle-timeout", "--event-loops"}) {
                assertTrue(output.contains(option), "help lacks " + option + ":\n" + output);
            }
            String flowed = output.replaceAll("\\s+", " ");
            assertTrue(flowed.contains("(default: 8787)"), output);
            assertTrue(flowed.contains("(default: 30s; unit: duration)"), output);
        }
    }

    @Test
    void versionPrintsThreeLinesAndExits() throws Exception {
        for (String argument : new String[] {"--version", "version"}) {
            try (LauncherProcess version = LauncherProcess.start(argument)) {
                assertEquals(0, version.waitFor(Duration.ofSeconds(60)), version.output());
                List<String> lines = version.output().lines().toList();
                assertEquals(3, lines.size(), version.output());
                assertTrue(lines.get(0).matches("Mooring [0-9]+\\.[0-9]+\\.[0-9]+.*"), lines.get(0));
                assertTrue(lines.get(1).matches("GraalJS [0-9.]+ \\(polyglot API [0-9.]+\\)"), lines.get(1));
                assertTrue(lines.get(2).startsWith("Java " + Runtime.version().feature() + "."), lines.get(2));
            }
        }
    }

    @Test
    void testCommandHasItsOwnHelp() throws Exception {
        try (LauncherProcess help = LauncherProcess.start("test", "--help")) {
            assertEquals(0, help.waitFor(Duration.ofSeconds(60)), help.output());
            assertTrue(help.output().startsWith("Usage: ./mooring test [MAVEN_ARGUMENTS...]"), help.output());
            assertFalse(help.output().contains("[INFO]"), "Maven did not run: " + help.output());
        }
    }

    @Test
    void launcherRunsTheOptimizingRuntime() throws Exception {
        try (LauncherProcess server = startCounter("2s")) {
            int port = server.awaitPort(STARTUP);
            assertEquals("1", get(port, "/counter/jit/increment"));
            String output = server.output();
            assertTrue(output.contains("Truffle runtime GraalVM CE (optimizing compiler enabled)"), output);
            assertFalse(output.contains("Truffle runtime Interpreted"), output);
            assertTrue(output.matches("(?s).*Warm-up done in [0-9]+ ms \\([1-9][0-9]* requests? and [0-9]+ chat messages?\\):"
                    + " [0-9]+ ms loading and driving the warm-up script.*"), output);
            String expectedCollector = Runtime.getRuntime().availableProcessors() <= 2
                    ? "garbage collector serial, which the launcher picks on machines with 2 CPUs or fewer"
                    : "garbage collector G1;";
            assertTrue(output.contains(expectedCollector), output);
            assertEquals(143, server.stop(), "a SIGTERM should end the host through its shutdown hook");
        }
    }

    @Test
    void collectorInJavaOptionsIsKept() throws Exception {
        Path project = LauncherProcess.repository().resolve("samples/counter");
        try (LauncherProcess server = LauncherProcess.startWithJavaOptions("-XX:+UseParallelGC", "dev", project.toString(),
                "--port", "0", "--data", data.toString(), "--warmup", "0s")) {
            int port = server.awaitPort(STARTUP);
            assertEquals("1", get(port, "/counter/collector/increment"));
            assertTrue(server.output().contains("garbage collector parallel;"), server.output());
            assertFalse(server.output().contains("which the launcher picks"), server.output());
        }
    }

    @Test
    void secondHostOnSameDataFolderIsRefused() throws Exception {
        try (LauncherProcess first = startCounter("0s")) {
            int port = first.awaitPort(STARTUP);
            assertEquals("1", get(port, "/counter/shared/increment"));

            try (LauncherProcess second = startCounter("0s")) {
                assertEquals(2, second.waitFor(STARTUP), second.output());
                assertTrue(second.output().contains("is in use by process " + first.pid()
                        + "; stop that host, or start this one with another --data folder"), second.output());
            }

            assertEquals("2", get(port, "/counter/shared/increment"));
        }
    }

    @Test
    void rejectedEngineOptionFailsWithMessage() throws Exception {
        Path project = LauncherProcess.repository().resolve("samples/counter");
        try (LauncherProcess server = LauncherProcess.startWithJavaOptions("-Dpolyglot.engine.TraceCompilation=true", "dev",
                project.toString(), "--port", "0", "--data", data.toString(), "--warmup", "0s")) {
            assertEquals(2, server.waitFor(STARTUP), server.output());
            String output = server.output();
            assertTrue(output.contains("mooring: GraalJS rejected an engine option: "), output);
            assertTrue(output.contains("engine.TraceCompilation"), output);
            assertTrue(output.contains("Remove the -Dpolyglot.* Java system property that sets it"), output);
            assertFalse(output.contains("Exception in thread"), output);
        }
    }

    @Test
    void portInUseFailsBeforeWarmup() throws Exception {
        Path project = LauncherProcess.repository().resolve("samples/counter");
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            try (LauncherProcess server = LauncherProcess.start("dev", project.toString(), "--port", String.valueOf(port),
                    "--data", data.toString(), "--warmup", "5s")) {
                assertEquals(2, server.waitFor(STARTUP), server.output());
                assertTrue(server.output().contains("cannot listen on 127.0.0.1:" + port
                        + ": the address is already in use; stop the process that uses it, or pick another --port"),
                        server.output());
                assertFalse(server.output().contains("Warming up"), server.output());
            }
        }
    }

    @Test
    void serveRejectsOnePortForTwoListeners() throws Exception {
        try (LauncherProcess server = LauncherProcess.start("serve", "--port", "30977", "--admin-port", "30977", "--data",
                data.toString(), "--warmup", "0s")) {
            assertEquals(2, server.waitFor(STARTUP), server.output());
            assertTrue(server.output().contains("--port and --admin-port are both 30977; give each listener its own port"),
                    server.output());
        }
    }

    @Test
    void quickStartFromReadmeWorks() throws Exception {
        try (LauncherProcess server = startCounter("0s")) {
            int port = server.awaitPort(STARTUP);

            assertEquals("1", get(port, "/counter/apples/increment"));
            assertEquals("2", get(port, "/counter/apples/increment"));
            assertEquals("-1", get(port, "/counter/pears/decrement"));
            assertEquals("2", get(port, "/counter/apples/"));
        }
    }

    @Test
    void acknowledgedIncrementsSurviveKill() throws Exception {
        int acknowledged = 0;
        try (LauncherProcess server = startCounter("0s")) {
            int port = server.awaitPort(STARTUP);
            for (int i = 1; i <= 100; i++) {
                assertEquals(String.valueOf(i), get(port, "/counter/durable/increment"));
                acknowledged = i;
            }
            server.kill();
        }

        try (LauncherProcess restarted = startCounter("0s")) {
            int port = restarted.awaitPort(STARTUP);
            assertEquals(String.valueOf(acknowledged), get(port, "/counter/durable/"));
        }
    }
}
