package dev.mooring.samples;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The shared real-browser chat test, {@code acceptance/browser-chat.mjs} in the shared folder, and
 * what it needs: Node.js 20 or newer, Chromium, and playwright-core. This module's own browser
 * scripts, test resources such as {@code private-room.mjs}, run in the same folder with {@link
 * #runOwnScript}.
 *
 * <p>{@link #prepare()} copies the script and its {@code package.json} from the read-only shared
 * folder into the folder named by the system property {@code mooring.acceptance.dir} (the pom sets
 * {@code samples/target/acceptance}) and runs {@code npm install} there when playwright-core is
 * missing or the {@code package.json} changed. playwright-core ships no browser, and the script runs
 * the system Chromium, so nothing here downloads a browser. Each missing prerequisite fails the
 * calling test with a message that names what to install; the test is never skipped.
 */
final class BrowserChatHarness {

    static final String SCRIPT = "browser-chat.mjs";

    /** The oldest Node.js that playwright-core 1.65 supports (its {@code engines} field). */
    private static final int MIN_NODE_MAJOR = 20;
    private static final String DEFAULT_CHROMIUM = "/usr/bin/chromium";
    private static final Duration NPM_TIMEOUT = Duration.ofMinutes(5);
    /** Longer than the script's own 5-minute limit, so that its summary is never cut off. */
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(6);
    private static final Pattern NODE_VERSION = Pattern.compile("v(\\d+)\\.");

    private final Path node;
    private final Path chromium;
    private final Path folder;

    private BrowserChatHarness(Path node, Path chromium, Path folder) {
        this.node = node;
        this.chromium = chromium;
        this.folder = folder;
    }

    /** Exit status and combined stdout and stderr of one run of the script. */
    record Result(int exitStatus, String output) {}

    /** Checks Node.js and Chromium and prepares the script's folder, or fails the test. */
    static BrowserChatHarness prepare() throws IOException, InterruptedException {
        Path node = findNode();
        Path chromium = findChromium();
        Path folder = acceptanceFolder();
        copyFromSharedFolder(folder);
        installPlaywright(folder);
        return new BrowserChatHarness(node, chromium, folder);
    }

    Path node() {
        return node;
    }

    /** Returns the folder for the screenshots, which {@link #run} empties first. */
    Path screenshots() {
        return folder.resolve("shots");
    }

    /** Runs the script against {@code baseUrl} with the given restart command. */
    Result run(String baseUrl, String restartCommand) throws IOException, InterruptedException {
        deleteRecursively(screenshots());
        return runScript(SCRIPT, List.of(baseUrl, "--restart-cmd", restartCommand, "--shots", screenshots().toString()), RUN_TIMEOUT);
    }

    /** Returns the folder for the screenshots of one of this module's own scripts, which {@link #runOwnScript} empties first. */
    Path screenshots(String script) {
        return folder.resolve(baseName(script) + "-shots");
    }

    /**
     * Copies {@code script}, a test resource of this module, next to playwright-core so that its
     * imports resolve, and runs it with {@code arguments} followed by {@code --shots} and {@link
     * #screenshots(String)}. Fails the test when the script outlives {@code timeout}.
     */
    Result runOwnScript(String script, List<String> arguments, Duration timeout) throws IOException, InterruptedException {
        try (InputStream source = BrowserChatHarness.class.getResourceAsStream("/" + script)) {
            if (source == null) {
                fail("The browser script " + script + " is not on the test classpath; it belongs in samples/src/test/resources.");
            }
            Files.copy(source, folder.resolve(script), StandardCopyOption.REPLACE_EXISTING);
        }
        deleteRecursively(screenshots(script));
        List<String> withShots = new ArrayList<>(arguments);
        withShots.add("--shots");
        withShots.add(screenshots(script).toString());
        return runScript(script, withShots, timeout);
    }

    /** Runs a script of the prepared folder with Node.js, keeping its output in {@code <script name>.log} there. */
    private Result runScript(String script, List<String> arguments, Duration timeout) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(node.toString());
        command.add(script);
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile());
        builder.environment().put("CHROMIUM_PATH", chromium.toString());
        return runToEnd(builder, timeout, folder.resolve(baseName(script) + ".log"));
    }

    private static String baseName(String script) {
        return script.replaceFirst("\\.mjs$", "");
    }

    /** Returns Node.js from the PATH, or fails the test when it is missing or older than version 20. */
    static Path findNode() throws IOException, InterruptedException {
        Path node = onPath("node").orElse(null);
        if (node == null) {
            fail("Node.js (node) is not on the PATH. The chat sample's browser test needs Node.js "
                    + MIN_NODE_MAJOR + " or newer with npm; install it and run the tests again.");
        }
        Path log = Files.createTempFile("node-version", ".log");
        Result version;
        try {
            version = runToEnd(new ProcessBuilder(node.toString(), "--version"), Duration.ofSeconds(30), log);
        } finally {
            Files.deleteIfExists(log);
        }
        Matcher matcher = NODE_VERSION.matcher(version.output());
        if (version.exitStatus() != 0 || !matcher.find()) {
            fail(node + " --version failed with status " + version.exitStatus() + ": " + version.output());
        }
        if (Integer.parseInt(matcher.group(1)) < MIN_NODE_MAJOR) {
            fail(node + " is Node.js " + version.output().strip() + ", but playwright-core needs Node.js "
                    + MIN_NODE_MAJOR + " or newer; install a newer Node.js.");
        }
        return node;
    }

    private static Path findChromium() {
        String configured = System.getenv("CHROMIUM_PATH");
        Path chromium = Path.of(configured == null || configured.isBlank() ? DEFAULT_CHROMIUM : configured);
        if (!Files.isExecutable(chromium)) {
            fail("Chromium not found at " + chromium + ". Install Debian's package (apt-get install chromium), or set"
                    + " CHROMIUM_PATH to a Chromium binary; the browser test never downloads a browser.");
        }
        return chromium;
    }

    private static Path acceptanceFolder() {
        String configured = System.getProperty("mooring.acceptance.dir");
        if (configured == null) {
            fail("System property mooring.acceptance.dir is not set; run the tests through Maven, whose samples pom sets it.");
        }
        return Path.of(configured).toAbsolutePath().normalize();
    }

    private static void copyFromSharedFolder(Path folder) throws IOException {
        String shared = System.getProperty("mooring.shared.dir");
        if (shared == null) {
            fail("System property mooring.shared.dir is not set; run the tests through Maven.");
        }
        Path source = Path.of(shared, "acceptance").toAbsolutePath().normalize();
        if (!Files.isRegularFile(source.resolve(SCRIPT)) || !Files.isRegularFile(source.resolve("package.json"))) {
            fail("The browser test " + source.resolve(SCRIPT) + " or its package.json is missing. It comes from the folder"
                    + " shared beside the checkout; pass -Dmooring.shared.dir=<folder that contains acceptance/> if it lives elsewhere.");
        }
        Files.createDirectories(folder);
        for (String file : List.of(SCRIPT, "package.json")) {
            Path copy = folder.resolve(file);
            Files.copy(source.resolve(file), copy, StandardCopyOption.REPLACE_EXISTING);
            // The shared folder is read-only in CI, and npm may rewrite package.json.
            Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    /** Runs npm install unless playwright-core is already installed for this package.json. */
    private static void installPlaywright(Path folder) throws IOException, InterruptedException {
        Path packageJson = folder.resolve("package.json");
        Path installedFor = folder.resolve(".installed-package.json");
        boolean installed = Files.isRegularFile(folder.resolve("node_modules/playwright-core/package.json"))
                && Files.isRegularFile(installedFor)
                && Files.mismatch(packageJson, installedFor) == -1;
        if (installed) {
            return;
        }

        Path npm = onPath("npm").orElse(null);
        if (npm == null) {
            fail("npm is not on the PATH. The chat sample's browser test installs playwright-core with npm into "
                    + folder + "; install npm (it comes with Node.js) and run the tests again.");
        }
        ProcessBuilder builder = new ProcessBuilder(npm.toString(), "install", "--no-audit", "--no-fund", "--no-progress")
                .directory(folder.toFile());
        builder.environment().put("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        Result result = runToEnd(builder, NPM_TIMEOUT, folder.resolve("npm-install.log"));
        if (result.exitStatus() != 0) {
            fail("npm install in " + folder + " failed with status " + result.exitStatus()
                    + "; it needs the npm registry to fetch playwright-core. Its output:\n" + result.output());
        }
        Files.copy(packageJson, installedFor, StandardCopyOption.REPLACE_EXISTING);
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Runs a process to its end with its output going to {@code log}, and returns the status and
     * that output. Fails the test when the process outlives {@code timeout}.
     */
    private static Result runToEnd(ProcessBuilder builder, Duration timeout, Path log) throws IOException, InterruptedException {
        Files.createDirectories(log.getParent());
        Process process = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
            fail(String.join(" ", builder.command()) + " did not finish within " + timeout + ". Its output:\n" + Files.readString(log));
        }
        return new Result(process.exitValue(), Files.readString(log));
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
