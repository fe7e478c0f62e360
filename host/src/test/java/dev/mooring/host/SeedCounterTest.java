package dev.mooring.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The announcement's Counter class, unchanged, served over HTTP. */
class SeedCounterTest {

    @TempDir
    Path data;

    private TestHost host;

    @BeforeEach
    void startHost() throws Exception {
        host = TestHost.start(SharedFiles.seedCounterApp(), data);
    }

    @AfterEach
    void stopHost() throws Exception {
        host.close();
    }

    @Test
    void incrementsAndReadsBack() throws Exception {
        HttpResponse<String> first = host.get("/counter/a/increment");
        HttpResponse<String> second = host.get("/counter/a/increment");
        HttpResponse<String> current = host.get("/counter/a/");

        assertEquals(200, first.statusCode());
        assertEquals("1", first.body());
        assertEquals("2", second.body());
        assertEquals("2", current.body());
    }

    @Test
    void unknownPathIsNotFound() throws Exception {
        HttpResponse<String> response = host.get("/counter/a/unknown");

        assertEquals(404, response.statusCode());
        assertEquals("Not found", response.body());
    }

    @Test
    void countersAreIndependent() throws Exception {
        host.get("/counter/x/increment");
        host.get("/counter/x/increment");
        HttpResponse<String> other = host.get("/counter/y/decrement");

        assertEquals("-1", other.body());
        assertEquals("2", host.get("/counter/x/").body());
    }

    @Test
    void concurrentClientsLoseNoIncrement() throws Exception {
        int clients = 64;
        int incrementsPerClient = 50;
        int names = 8;
        Map<String, Set<Integer>> seen = new ConcurrentHashMap<>();
        Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
        List<String> duplicates = java.util.Collections.synchronizedList(new ArrayList<>());

        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                String name = "n" + (c % names);
                running.add(pool.submit(() -> {
                    for (int i = 0; i < incrementsPerClient; i++) {
                        HttpResponse<String> response = host.client().send(
                                HttpRequest.newBuilder(host.uri("/counter/" + name + "/increment")).timeout(Duration.ofSeconds(60)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() != 200) {
                            continue;
                        }
                        int value = Integer.parseInt(response.body());
                        if (!seen.computeIfAbsent(name, key -> ConcurrentHashMap.newKeySet()).add(value)) {
                            duplicates.add(name + "=" + value);
                        }
                        acknowledged.merge(name, 1, Integer::sum);
                    }
                    return null;
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
        }

        assertTrue(duplicates.isEmpty(), "increments of one name returned the same value: " + duplicates);
        int total = 0;
        for (int n = 0; n < names; n++) {
            String name = "n" + n;
            int finalValue = Integer.parseInt(host.get("/counter/" + name + "/").body());
            assertEquals(acknowledged.getOrDefault(name, 0), finalValue, "final value of " + name);
            total += finalValue;
        }
        assertEquals(clients * incrementsPerClient, total, "every increment should have been acknowledged");
    }
}
