package dev.mooring.host.storage;

import static dev.mooring.host.storage.StorageTesting.bytes;
import static dev.mooring.host.storage.StorageTesting.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;

/** Many objects on several threads share commits; nothing is lost or reordered. */
class GroupCommitTest extends StoreTestBase {

    private static final int LOOPS = 4;
    private static final int OBJECTS_PER_LOOP = 8;
    private static final int TURNS = 40;

    private final CommitGate gate = new CommitGate();

    @Override
    LmdbStore.Options options() {
        return super.options().withCommitFaultInjector(gate);
    }

    @Test
    void concurrentObjectsShareCommits() throws Exception {
        List<EventLoop> loops = new ArrayList<>();
        for (int i = 0; i < LOOPS; i++) {
            loops.add(new EventLoop("owner-" + i));
        }
        CommitGate.Hold hold = holdWriter();
        long commitsBefore = store.writerStats().commits();
        ConcurrentLinkedQueue<CompletableFuture<Void>> durable = new ConcurrentLinkedQueue<>();

        try {
            List<CompletableFuture<Void>> producers = new ArrayList<>();
            for (int l = 0; l < LOOPS; l++) {
                EventLoop owner = loops.get(l);
                int firstObject = 100 + l * OBJECTS_PER_LOOP;
                producers.add(CompletableFuture.runAsync(() -> produce(owner, firstObject, durable), owner));
            }
            CompletableFuture.allOf(producers.toArray(CompletableFuture[]::new)).join();
            hold.release();
            CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new)).join();
        } finally {
            for (EventLoop owner : loops) {
                owner.close();
            }
        }

        int batches = LOOPS * OBJECTS_PER_LOOP * TURNS;
        int batchesPerCommit = LmdbStore.Options.DEFAULT_MAX_OPERATIONS_PER_COMMIT / 4;
        CommitWriter.Stats stats = store.writerStats();
        assertEquals(batches + 1, stats.batches());
        assertEquals(batches * 4L + 1, stats.operations());
        assertEquals(commitsBefore + 1 + Math.ceilDiv(batches, batchesPerCommit), stats.commits(),
                "the held blocker, then the queued batches packed up to the operation limit per commit");

        for (int object = 100; object < 100 + LOOPS * OBJECTS_PER_LOOP; object++) {
            ObjectStorage fresh = storage(object);
            assertEquals(Integer.toString(TURNS - 1), text(fresh.get("counter")), "object " + object);
            for (int turn = 0; turn < TURNS; turn++) {
                for (int j = 0; j < 3; j++) {
                    assertEquals(object + ":" + turn, text(fresh.get("k" + turn + "-" + j)), "object " + object);
                }
            }
        }
    }

    /** Runs on {@code owner}: every object writes TURNS turns without waiting for durability. */
    private void produce(EventLoop owner, int firstObject, ConcurrentLinkedQueue<CompletableFuture<Void>> durable) {
        List<ObjectStorage> objects = new ArrayList<>();
        for (int i = 0; i < OBJECTS_PER_LOOP; i++) {
            objects.add(storage(firstObject + i));
        }
        for (int turn = 0; turn < TURNS; turn++) {
            for (int i = 0; i < OBJECTS_PER_LOOP; i++) {
                ObjectStorage storage = objects.get(i);
                for (int j = 0; j < 3; j++) {
                    storage.put("k" + turn + "-" + j, bytes((firstObject + i) + ":" + turn));
                }
                storage.put("counter", bytes(Integer.toString(turn)));
                durable.add(storage.commitPending(owner));
            }
        }
    }

    @Test
    void batchesOfOneObjectCommitInOrder() {
        ObjectStorage storage = storage(1);
        CommitGate.Hold hold = holdWriter();
        List<CompletableFuture<Void>> durable = new ArrayList<>();
        for (int turn = 0; turn < 100; turn++) {
            storage.put("counter", bytes(Integer.toString(turn)));
            durable.add(storage.commitPending(loop));
            assertEquals(Integer.toString(turn), text(storage.get("counter")));
        }
        hold.release();
        CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new)).join();

        assertEquals("99", text(storage(1).get("counter")));
        List<Long> sequences = gate.applied().stream()
                .filter(batch -> batch.objectIdHex().equals(storage.objectIdHex()))
                .map(WriteBatch::sequence)
                .toList();
        assertEquals(java.util.stream.LongStream.rangeClosed(1, 100).boxed().toList(), sequences);
    }

    @Test
    void groupRespectsByteLimit() throws IOException {
        CommitGate byteGate = new CommitGate();
        LmdbStore.Options limited = options().withCommitFaultInjector(byteGate).withMaxBytesPerCommit(10_000);
        try (LmdbStore small = LmdbStore.open(directory.resolve("byte-limit"), limited);
                EventLoop owner = new EventLoop("byte-limit-owner")) {
            int namespace = small.namespaceId("test:Bytes");
            CommitGate.Hold hold = byteGate.holdNextBatch();
            ObjectStorage blocker = small.objectStorage(namespace, StorageTesting.objectId(999));
            blocker.put("x", bytes("x"));
            CompletableFuture<Void> blockerDurable = blocker.commitPending(owner);
            hold.awaitReached();
            long commitsBefore = small.writerStats().commits();

            List<CompletableFuture<Void>> durable = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ObjectStorage storage = small.objectStorage(namespace, StorageTesting.objectId(i));
                storage.put("k", new byte[2999]);
                durable.add(storage.commitPending(owner));
            }
            hold.release();
            blockerDurable.join();
            CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new)).join();

            // Each batch is 3000 bytes, so at most three fit in 10,000: 20 batches need 7 commits.
            assertEquals(commitsBefore + 1 + 7, small.writerStats().commits());
        }
    }

    /** Holds the writer on an unrelated object's batch until the returned hold is released. */
    private CommitGate.Hold holdWriter() {
        CommitGate.Hold hold = gate.holdNextBatch();
        ObjectStorage blocker = storage(999_999);
        blocker.put("blocker", bytes("x"));
        blocker.commitPending(loop);
        hold.awaitReached();
        return hold;
    }
}
