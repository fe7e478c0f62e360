package dev.mooring.samples;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of the {@code ./mooring} launcher as a child process, with its output collected line by
 * line. The build must already exist (the tests run after the host module is packaged), so the
 * launcher is told never to build.
 */
final class LauncherProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("Listening for HTTP on http://127\\.0\\.0\\.1:(\\d+)/");
    private static final Pattern LISTENING_HTTPS = Pattern.compile("Listening for HTTPS on https://127\\.0\\.0\\.1:(\\d+)/");

    private final Process process;
    private final List<String> lines = Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;

    private LauncherProcess(String javaOptions, List<String> arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(repository().resolve("mooring").toString());
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(repository().toFile()).redirectErrorStream(true);
        builder.environment().put("MOORING_NO_BUILD", "1");
        builder.environment().put("MOORING_JAVA_OPTS", javaOptions);
        this.process = builder.start();
        this.reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(reading the launcher's output failed: " + e + ")");
            }
        });
    }

    /** The repository root, from the system property the build sets. */
    static Path repository() {
        String configured = System.getProperty("mooring.repository.dir");
        assertTrue(configured != null, "System property mooring.repository.dir is not set; run the tests through Maven");
        Path root = Path.of(configured);
        assertTrue(Files.isExecutable(root.resolve("mooring")), "launcher not found in " + root);
        return root;
    }

    static LauncherProcess start(String... arguments) throws IOException {
        return startWithJavaOptions("", arguments);
    }

    /** Starts the launcher with {@code javaOptions} added to MOORING_JAVA_OPTS after a 512 MiB heap limit. */
    static LauncherProcess startWithJavaOptions(String javaOptions, String... arguments) throws IOException {
        return new LauncherProcess(("-Xmx512m " + javaOptions).strip(), List.of(arguments));
    }

    /** Waits for the "Listening for HTTP" log line and returns the port, failing with the output so far. */
    int awaitPort(Duration timeout) throws InterruptedException {
        return awaitListening(LISTENING, "HTTP", timeout);
    }

    /**
     * Waits for the "Listening for HTTPS" log line, which a launcher started with {@code --https-port}
     * writes right after the HTTP one, and returns the port, failing with the output so far.
     */
    int awaitHttpsPort(Duration timeout) throws InterruptedException {
        return awaitListening(LISTENING_HTTPS, "HTTPS", timeout);
    }

    private int awaitListening(Pattern listening, String protocol, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (lines) {
                for (String line : lines) {
                    Matcher matcher = listening.matcher(line);
                    if (matcher.find()) {
                        return Integer.parseInt(matcher.group(1));
                    }
                }
            }
            if (!process.isAlive()) {
                fail("The launcher exited with status " + process.exitValue() + " before listening for " + protocol + ":\n" + output());
            }
            Thread.sleep(50);
        }
        fail("The launcher did not start listening for " + protocol + " within " + timeout + ":\n" + output());
        return -1;
    }

    /** Waits for the process to end and returns its exit status. */
    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("The launcher did not exit within " + timeout + ":\n" + output());
        }
        reader.join(5_000);
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    /** Sends SIGKILL, as {@code kill -9} does, and waits for the process to end. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Sends SIGTERM and waits for a clean exit. */
    int stop() throws InterruptedException {
        process.destroy();
        return waitFor(Duration.ofSeconds(30));
    }

    String output() {
        synchronized (lines) {
            return String.join("\n", lines);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
