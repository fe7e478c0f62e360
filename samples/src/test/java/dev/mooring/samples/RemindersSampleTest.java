package dev.mooring.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reminders sample through {@code ./mooring dev}: a reminder fires when its alarm runs, and
 * the object sets its alarm again for the next reminder of the list.
 */
class RemindersSampleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    private final HttpClient client = HttpClient.newHttpClient();

    @Test
    void dueReminderFiresAndAlarmMovesOn() throws Exception {
        try (LauncherProcess server = startSample()) {
            int port = server.awaitPort(Duration.ofSeconds(90));

            HttpResponse<String> soon = send(port, "POST", "/reminders/home?in=1", "put the kettle on");
            HttpResponse<String> later = send(port, "POST", "/reminders/home?in=3600", "water the plants");
            assertEquals(201, soon.statusCode(), soon.body() + server.output());
            assertEquals(201, later.statusCode(), later.body());
            long laterDue = JSON.readTree(later.body()).get("due").asLong();

            JsonNode list = JSON.readTree(send(port, "GET", "/reminders/home", null).body());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (list.get("fired").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
                list = JSON.readTree(send(port, "GET", "/reminders/home", null).body());
            }

            assertEquals(1, list.get("fired").size(), list + server.output());
            assertEquals("put the kettle on", list.get("fired").get(0).get("text").asText());
            assertEquals(1, list.get("pending").size(), list.toString());
            assertEquals("water the plants", list.get("pending").get(0).get("text").asText());
            assertEquals(laterDue, list.get("alarm").asLong(), "the alarm waits for the next reminder");
        }
    }

    @Test
    void badRequestsAreExplained() throws Exception {
        try (LauncherProcess server = startSample()) {
            int port = server.awaitPort(Duration.ofSeconds(90));

            HttpResponse<String> negative = send(port, "POST", "/reminders/home?in=-1", "x");
            HttpResponse<String> empty = send(port, "POST", "/reminders/home?in=5", "");
            HttpResponse<String> elsewhere = send(port, "GET", "/elsewhere", null);

            assertEquals(400, negative.statusCode());
            assertTrue(negative.body().startsWith("Give ?in=<seconds>"), negative.body());
            assertEquals(400, empty.statusCode());
            assertEquals(404, elsewhere.statusCode());
            assertTrue(elsewhere.body().startsWith("Try POST /reminders/<list>"), elsewhere.body());
        }
    }

    /** Starts {@code ./mooring dev samples/reminders} on a free port with this test's data folder. */
    private LauncherProcess startSample() throws IOException {
        Path project = LauncherProcess.repository().resolve("samples/reminders");
        return LauncherProcess.start("dev", project.toString(), "--port", "0", "--data", data.toString(), "--warmup", "0s");
    }

    private HttpResponse<String> send(int port, String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return client.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
