package dev.mooring.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The chat sample in real Chromium, driven by the shared browser test: two users join a room
 * through the page's forms and exchange messages, a third page shows the history, the server is
 * restarted on the same storage, and the open pages reconnect by themselves.
 *
 * <p>Needs Node.js 20 or newer, npm and Chromium; {@link BrowserChatHarness} names what is missing.
 */
class ChatAcceptanceTest {

    @TempDir
    Path data;

    @Test
    void chatSamplePassesBrowserTest() throws Exception {
        BrowserChatHarness harness = BrowserChatHarness.prepare();
        Path project = LauncherProcess.repository().resolve("samples/chat");

        try (RestartableServer server = RestartableServer.start(project, data)) {
            BrowserChatHarness.Result result = harness.run(server.baseUrl(), server.restartCommand(harness.node()));

            assertEquals(0, result.exitStatus(), () -> "browser-chat.mjs exited with status " + result.exitStatus()
                    + " (1: a check failed, 2: bad usage or environment, 3: its 5-minute limit). Screenshots are in "
                    + harness.screenshots() + ".\n--- browser test output ---\n" + result.output() + "\n" + server.output());
        }
    }
}
