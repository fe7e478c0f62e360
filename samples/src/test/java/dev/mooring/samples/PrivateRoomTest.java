package dev.mooring.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat sample's "Create a private room" button in real Chromium, with the page loaded from
 * {@code ./mooring dev --https-port}: the button must open a room whose name is a 64-hex-digit ID,
 * and a message sent there must come back. The browser script, {@code private-room.mjs} in this
 * module's test resources, lists its checks.
 *
 * <p>The server creates its self-signed development certificate in the temporary data folder, so
 * this also covers the certificate's first use. Needs Node.js 20 or newer, npm and Chromium, as
 * {@link ChatAcceptanceTest} does; {@link BrowserChatHarness} names what is missing.
 */
class PrivateRoomTest {

    private static final String SCRIPT = "private-room.mjs";
    private static final Duration STARTUP = Duration.ofSeconds(90);
    /** Longer than the script's own 2-minute limit, so that its message is never cut off. */
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    Path data;

    @Test
    void privateRoomButtonOpensRoomOverHttps() throws Exception {
        BrowserChatHarness harness = BrowserChatHarness.prepare();
        Path project = LauncherProcess.repository().resolve("samples/chat");

        try (LauncherProcess server = LauncherProcess.start("dev", project.toString(), "--port", "0", "--https-port", "0",
                "--data", data.toString(), "--warmup", "0s")) {
            server.awaitPort(STARTUP);
            int httpsPort = server.awaitHttpsPort(STARTUP);
            String pageUrl = "https://127.0.0.1:" + httpsPort + "/";

            BrowserChatHarness.Result result = harness.runOwnScript(SCRIPT, List.of(pageUrl), SCRIPT_TIMEOUT);

            assertEquals(0, result.exitStatus(), () -> SCRIPT + " against " + pageUrl + " exited with status " + result.exitStatus()
                    + " (1: a check failed, 2: bad usage or environment, 3: its 2-minute limit). Screenshots are in "
                    + harness.screenshots(SCRIPT) + ".\n--- browser script output ---\n" + result.output()
                    + "\n--- server output ---\n" + server.output());
        }
    }
}
