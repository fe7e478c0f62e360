package dev.mooring.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The restart command that the browser test runs, checked on the counter sample. */
class RestartableServerTest {

    @TempDir
    Path data;

    private final HttpClient client = HttpClient.newHttpClient();

    private String get(String url) throws Exception {
        HttpResponse<String> response = client.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), "GET " + url + " returned " + response.body());
        return response.body();
    }

    @Test
    void restartCommandKeepsPortAndStorage() throws Exception {
        Path node = BrowserChatHarness.findNode();
        Path project = LauncherProcess.repository().resolve("samples/counter");

        try (RestartableServer server = RestartableServer.start(project, data)) {
            String base = server.baseUrl();
            assertEquals("1", get(base + "counter/kept/increment"));

            Process restart = new ProcessBuilder("bash", "-c", server.restartCommand(node)).redirectErrorStream(true).start();
            assertTrue(restart.waitFor(3, TimeUnit.MINUTES), "the restart command did not finish within 3 minutes");
            String output = new String(restart.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertEquals(0, restart.exitValue(), output + "\n" + server.output());
            assertTrue(output.startsWith("Restarted the server on port "), output);
            assertEquals(base, server.baseUrl());
            assertEquals("2", get(base + "counter/kept/increment"), server.output());
            assertTrue(server.output().contains("--- server run 2 of 2 ---"), server.output());
        }
    }
}
