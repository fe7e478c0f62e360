package dev.mooring.host.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Script A spins and allocates without bound while script B serves steady traffic: B's tail
 * latency stays within twice its baseline, and the host's heap survives. A's runaway events end
 * at their limits with errors; they never stop B's objects, which run on B's own event loops.
 */
class NoisyNeighbourTest {

    private static final String NOISY = """
            export class Noise {
              async fetch(request) {
                const path = new URL(request.url).pathname;
                if (path === "/spin") { for (;;) {} }
                if (path === "/bomb") {
                  const hoard = [];
                  for (;;) hoard.push(new Array(1 << 16).fill(1.5));
                }
                return new Response("quiet");
              }
            }
            """;

    private static final String STEADY = """
            export class Counter {
              constructor(state) { this.state = state; }
              async fetch(request) {
                const value = ((await this.state.storage.get("value")) ?? 0) + 1;
                await this.state.storage.put("value", value);
                return new Response(String(value));
              }
            }
            """;

    private static final String CREATE_NOISE = "{\"new_tag\": \"v1\", \"new_classes\": [\"Noise\"]}";
    private static final String CREATE_COUNTER = "{\"new_tag\": \"v1\", \"new_classes\": [\"Counter\"]}";

    /** Requests B's clients send in each phase. */
    private static final int REQUESTS_PER_PHASE = 1000;
    private static final int CLIENTS = 4;

    /**
     * Quiet and noisy phases alternate this many times, and each side's latencies are pooled. One
     * p99 from a few seconds on a small machine moves by tens of percent between runs, and
     * alternating keeps the host's own warming up from favouring either side. With three rounds
     * the ratio of the pooled p99s ranged from 1.2 to 2.15 over five runs on a 2-core VM, so a few
     * slow requests could fail the test. With five it ranged from 1.28 to 1.38 over three runs, but
     * later from 1.08 to 2.13 over five, so the test pools eight.
     */
    private static final int ROUNDS = 8;

    /**
     * Baselines below this are raised to it before doubling: on a loopback socket B answers in
     * well under a millisecond, where one scheduler tick decides the 99th percentile.
     */
    private static final long BASELINE_FLOOR_NANOS = 2_000_000;

    @TempDir
    Path data;

    @Test
    void aSpinningAndAllocatingScriptDoesNotSlowAnotherScript() throws Exception {
        try (ServeHarness host = ServeHarness.start(data, 2, Duration.ofSeconds(1))) {
            host.registry().deploy(Uploads.parse("noisy", Uploads.body(NOISY, "NOISE", "Noise", CREATE_NOISE)));
            host.registry().deploy(Uploads.parse("steady", Uploads.body(STEADY, "COUNTER", "Counter", CREATE_COUNTER)));
            runPhase(host, REQUESTS_PER_PHASE);

            List<Long> quiet = new ArrayList<>();
            List<Long> underNoise = new ArrayList<>();
            AtomicInteger noiseAnswers = new AtomicInteger();
            for (int round = 0; round < ROUNDS; round++) {
                quiet.addAll(runPhase(host, REQUESTS_PER_PHASE));

                AtomicBoolean noisy = new AtomicBoolean(true);
                List<CompletableFuture<Void>> noise = new ArrayList<>();
                noise.add(CompletableFuture.runAsync(() -> repeat(host, noisy, "/NOISE/spinner/spin", noiseAnswers)));
                noise.add(CompletableFuture.runAsync(() -> repeat(host, noisy, "/NOISE/bomber/bomb", noiseAnswers)));
                Thread.sleep(200);
                underNoise.addAll(runPhase(host, REQUESTS_PER_PHASE));
                noisy.set(false);
                CompletableFuture.allOf(noise.toArray(CompletableFuture[]::new)).join();
            }

            long baseline = percentile99(quiet);
            long loaded = percentile99(underNoise);
            long allowed = 2 * Math.max(baseline, BASELINE_FLOOR_NANOS);
            System.out.printf("NoisyNeighbourTest: B's p99 %d us quiet, %d us under noise; %d noisy events stopped%n",
                    baseline / 1000, loaded / 1000, noiseAnswers.get());
            assertTrue(loaded <= allowed, "B's p99 was " + loaded / 1000 + " us under noise, baseline " + baseline / 1000
                    + " us; allowed " + allowed / 1000 + " us");
            assertTrue(noiseAnswers.get() > 0, "A's runaway events ended with errors while B was measured");
            assertEquals("quiet", host.get("noisy", "/NOISE/other/").body(), "A itself recovers once its events are stopped");
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            assertTrue(memory.getHeapMemoryUsage().getUsed() < memory.getHeapMemoryUsage().getMax(), "the heap survived");
        }
    }

    /** Sends {@code total} increments to B from {@link #CLIENTS} clients; returns each latency. */
    private static List<Long> runPhase(ServeHarness host, int total) {
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            String name = "c" + c;
            clients.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < total / CLIENTS; i++) {
                    long started = System.nanoTime();
                    HttpResponse<String> response = send(host, host.scriptUri("steady", "/COUNTER/" + name + "/"));
                    latencies.add(System.nanoTime() - started);
                    assertEquals(200, response.statusCode(), response.body());
                }
            }, runnable -> Thread.ofPlatform().start(runnable)));
        }
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).join();
        return latencies;
    }

    private static void repeat(ServeHarness host, AtomicBoolean noisy, String path, AtomicInteger answers) {
        while (noisy.get()) {
            HttpResponse<String> response = send(host, host.scriptUri("noisy", path));
            assertTrue(response.statusCode() >= 500, path + " answered " + response.statusCode() + ": " + response.body());
            answers.incrementAndGet();
        }
    }

    private static HttpResponse<String> send(ServeHarness host, java.net.URI uri) {
        try {
            return host.client().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException("Request to " + uri + " failed", e);
        }
    }

    private static long percentile99(List<Long> latencies) {
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        return sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1);
    }
}
