package dev.mooring.host.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A throughput probe, not a benchmark: 16 writer objects, each on its own thread, each doing
 * "write, commit, wait until durable" in a loop for a fixed time, then prints durable batches and
 * operations per second. The only checks are that the counters agree with what the writers did.
 * Numbers depend on the disk and on other load; compare runs on the same machine only.
 */
class CommitThroughputProbeTest extends StoreTestBase {

    private static final int WRITERS = 16;
    private static final long WARM_UP_NANOS = 500_000_000L;
    private static final long MEASURE_NANOS = 2_000_000_000L;
    private static final int VALUE_BYTES = 100;

    /** Completes commits on the writer thread; safe here because each owner blocks until then. */
    private static final Executor DIRECT = Runnable::run;

    @Test
    void onePutPerBatch() throws InterruptedException {
        probe(1);
    }

    @Test
    void tenPutsPerBatch() throws InterruptedException {
        probe(10);
    }

    private void probe(int putsPerBatch) throws InterruptedException {
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch started = new CountDownLatch(WRITERS);
        long[][] latencies = new long[WRITERS][];
        int[] measuredBatches = new int[WRITERS];
        List<Thread> threads = new ArrayList<>();

        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            threads.add(Thread.ofPlatform().name("probe-writer-" + w).start(() -> {
                ObjectStorage storage = storage(writer);
                long[] samples = new long[1 << 16];
                int count = 0;
                int sequence = 0;
                started.countDown();
                while (!stop.get()) {
                    for (int p = 0; p < putsPerBatch; p++) {
                        storage.put(String.format("key-%08d", sequence++ % 10_000), new byte[VALUE_BYTES]);
                    }
                    long begin = System.nanoTime();
                    storage.commitPending(DIRECT).join();
                    if (measuring.get() && count < samples.length) {
                        samples[count++] = System.nanoTime() - begin;
                    }
                }
                latencies[writer] = Arrays.copyOf(samples, count);
                measuredBatches[writer] = count;
            }));
        }

        started.await();
        Thread.sleep(WARM_UP_NANOS / 1_000_000); // warm-up period of the probe, not a synchronization
        CommitWriter.Stats before = store.writerStats();
        long begin = System.nanoTime();
        measuring.set(true);
        Thread.sleep(MEASURE_NANOS / 1_000_000); // measurement period of the probe
        measuring.set(false);
        CommitWriter.Stats after = store.writerStats();
        double seconds = (System.nanoTime() - begin) / 1e9;
        stop.set(true);
        for (Thread thread : threads) {
            thread.join();
        }

        long batches = after.batches() - before.batches();
        long operations = after.operations() - before.operations();
        long commits = after.commits() - before.commits();
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        System.out.printf(Locale.ROOT,
                "storage probe: %d writers, %d put(s) of %d B per batch: %.0f durable batches/s, %.0f operations/s, "
                        + "%.0f commits/s, %.1f batches per commit, commit wait p50 %.2f ms, p99 %.2f ms%n",
                WRITERS, putsPerBatch, VALUE_BYTES, batches / seconds, operations / seconds, commits / seconds,
                (double) batches / Math.max(1, commits), percentile(all, 0.50) / 1e6, percentile(all, 0.99) / 1e6);

        CommitWriter.Stats total = store.writerStats();
        assertEquals(total.batches() * putsPerBatch, total.operations());
        assertEquals(0, total.failedBatches());
        assertEquals(Arrays.stream(measuredBatches).sum(), all.length);
    }

    private static double percentile(long[] sorted, double fraction) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) (sorted.length * fraction))];
    }
}
