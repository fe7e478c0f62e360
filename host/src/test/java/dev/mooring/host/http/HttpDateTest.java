package dev.mooring.host.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.runtime.fetch.ResponseData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** The Date header of the host's responses follows the clock, also after another listener stopped. */
class HttpDateTest {

    @Test
    void dateStaysCurrentAfterListenerStops() throws Exception {
        HttpFrontend.RequestHandler hello = (request, sink) -> sink.complete(ResponseData.text(200, "hello"));
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpFrontend first = new HttpFrontend(new HttpFrontend.Settings("127.0.0.1", 0, 1, 1 << 20), hello);
            first.startSilently();
            get(client, first.port());
            first.close();

            // Undertow's shared date cache was cleared by a task of the stopped listener's thread,
            // so without Mooring's own header the next listener would repeat this old date.
            Thread.sleep(2_100);
            HttpFrontend second = new HttpFrontend(new HttpFrontend.Settings("127.0.0.1", 0, 1, 1 << 20), hello);
            second.startSilently();
            try {
                HttpResponse<String> response = get(client, second.port());
                Instant date = ZonedDateTime.parse(response.headers().firstValue("Date").orElseThrow(),
                        DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();

                assertTrue(Duration.between(date, Instant.now()).abs().toMillis() < 1_500,
                        "Date " + date + " is not the current time " + Instant.now());
            } finally {
                second.close();
            }
        }
    }

    @Test
    void dateHasTwoDigitDay() {
        String now = HttpDate.now();

        assertTrue(now.matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT"), now);
        assertEquals(29, now.length(), now);
    }

    private static HttpResponse<String> get(HttpClient client, int port) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
