package dev.mooring.host.storage;

import static dev.mooring.host.storage.StorageTesting.bytes;
import static dev.mooring.host.storage.StorageTesting.keys;
import static dev.mooring.host.storage.StorageTesting.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The map starts tiny and grows under load, with readers active, without losing a write. */
class MapGrowthTest extends StoreTestBase {

    private static final long TINY_MAP = LmdbStore.Options.MIN_MAP_SIZE_BYTES;
    private static final int PRODUCERS = 4;
    private static final int OBJECTS_PER_PRODUCER = 4;
    private static final int TURNS = 20;
    private static final int PUTS_PER_TURN = 8;
    private static final int VALUE_BYTES = 512;

    private final CommitGate gate = new CommitGate();

    @Override
    LmdbStore.Options options() {
        return LmdbStore.Options.defaults().withInitialMapSizeBytes(TINY_MAP).withCommitFaultInjector(gate);
    }

    @Test
    void growsUnderLoadWithReadersActive() throws Exception {
        List<EventLoop> producers = new ArrayList<>();
        List<EventLoop> readers = new ArrayList<>();
        for (int i = 0; i < PRODUCERS; i++) {
            producers.add(new EventLoop("producer-" + i));
        }
        for (int i = 0; i < 2; i++) {
            readers.add(new EventLoop("reader-" + i));
        }
        try {
            for (int r = 0; r < readers.size(); r++) {
                int object = 500 + r;
                readers.get(r).run(() -> seedReaderObject(object));
            }
            long mapBefore = store.mapSizeBytes();

            CommitGate.Hold hold = gate.holdNextBatch();
            ObjectStorage blocker = storage(999);
            blocker.put("blocker", bytes("x"));
            CompletableFuture<Void> blockerDurable = blocker.commitPending(loop);
            hold.awaitReached();

            ConcurrentLinkedQueue<CompletableFuture<Void>> durable = new ConcurrentLinkedQueue<>();
            List<CompletableFuture<Void>> submitted = new ArrayList<>();
            for (int p = 0; p < PRODUCERS; p++) {
                EventLoop owner = producers.get(p);
                int firstObject = p * OBJECTS_PER_PRODUCER;
                submitted.add(CompletableFuture.runAsync(() -> produce(owner, firstObject, durable), owner));
            }
            CompletableFuture.allOf(submitted.toArray(CompletableFuture[]::new)).join();
            durable.add(blockerDurable);
            CompletableFuture<Void> allDurable = CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new));

            AtomicInteger readRounds = new AtomicInteger();
            List<CompletableFuture<Void>> reading = new ArrayList<>();
            for (int r = 0; r < readers.size(); r++) {
                int object = 500 + r;
                reading.add(CompletableFuture.runAsync(() -> readUntil(allDurable, object, readRounds), readers.get(r)));
            }
            hold.release();
            allDurable.join();
            CompletableFuture.allOf(reading.toArray(CompletableFuture[]::new)).join();

            assertTrue(store.writerStats().mapGrowths() >= 1, "map growths: " + store.writerStats().mapGrowths());
            assertTrue(store.mapSizeBytes() > mapBefore, "map size " + store.mapSizeBytes());
            checkAllProduced();
        } finally {
            for (EventLoop owner : producers) {
                owner.close();
            }
            for (EventLoop reader : readers) {
                reader.close();
            }
        }
    }

    @Test
    void reopenKeepsDataAndGrows() throws IOException {
        ObjectStorage storage = storage(1);
        for (int i = 0; i < 400; i++) {
            storage.put(String.format("k%04d", i), new byte[VALUE_BYTES]);
        }
        commit(storage);
        long grownMap = store.mapSizeBytes();

        reopen();
        assertTrue(store.mapSizeBytes() >= TINY_MAP);
        ObjectStorage reopened = storage(1);
        assertEquals(400, reopened.list(ListOptions.all()).size());
        for (int i = 400; i < 1200; i++) {
            reopened.put(String.format("k%04d", i), new byte[VALUE_BYTES]);
        }
        commit(reopened);
        assertEquals(1200, storage(1).list(ListOptions.all()).size());
        assertTrue(store.mapSizeBytes() > grownMap / 2, "map size after reopen and growth " + store.mapSizeBytes());
    }

    @Test
    void mapLimitFailsOnlyTheOversizedBatch() throws IOException {
        LmdbStore.Options limited = LmdbStore.Options.defaults()
                .withInitialMapSizeBytes(TINY_MAP)
                .withMaxMapSizeBytes(4 * TINY_MAP);
        try (LmdbStore small = LmdbStore.open(directory.resolve("limited"), limited);
                EventLoop owner = new EventLoop("limited-owner")) {
            int namespace = small.namespaceId("test:Limited");
            ObjectStorage big = small.objectStorage(namespace, StorageTesting.objectId(1));
            for (int i = 0; i < 100; i++) {
                big.put("k" + i, new byte[4096]);
            }
            CompletionException thrown = assertThrows(CompletionException.class, () -> big.commitPending(owner).join());
            CommitFailedException failure = assertInstanceOf(CommitFailedException.class, thrown.getCause());
            assertTrue(failure.getCause().getMessage().contains("maxMapSizeBytes"), failure.getCause().getMessage());

            ObjectStorage small1 = small.objectStorage(namespace, StorageTesting.objectId(2));
            small1.put("k", bytes("fits"));
            small1.commitPending(owner).join();
            assertEquals("fits", text(small.objectStorage(namespace, StorageTesting.objectId(2)).get("k")));
            assertEquals(List.of(), keys(small.objectStorage(namespace, StorageTesting.objectId(1)).list(ListOptions.all())));
        }
    }

    @Test
    void mapLimitSparesBatchesInSameGroup() throws IOException {
        CommitGate limitGate = new CommitGate();
        LmdbStore.Options limited = LmdbStore.Options.defaults()
                .withInitialMapSizeBytes(TINY_MAP)
                .withMaxMapSizeBytes(4 * TINY_MAP)
                .withCommitFaultInjector(limitGate);
        try (LmdbStore small = LmdbStore.open(directory.resolve("limited-group"), limited);
                EventLoop owner = new EventLoop("limited-group-owner")) {
            int namespace = small.namespaceId("test:Limited");
            CommitGate.Hold hold = limitGate.holdNextBatch();
            ObjectStorage blocker = small.objectStorage(namespace, StorageTesting.objectId(9));
            blocker.put("x", bytes("x"));
            CompletableFuture<Void> blockerDurable = blocker.commitPending(owner);
            hold.awaitReached();

            ObjectStorage before = small.objectStorage(namespace, StorageTesting.objectId(1));
            ObjectStorage big = small.objectStorage(namespace, StorageTesting.objectId(2));
            ObjectStorage after = small.objectStorage(namespace, StorageTesting.objectId(3));
            before.put("k", bytes("before"));
            for (int i = 0; i < 100; i++) {
                big.put("k" + i, new byte[4096]);
            }
            after.put("k", bytes("after"));
            CompletableFuture<Void> beforeDurable = before.commitPending(owner);
            CompletableFuture<Void> bigDurable = big.commitPending(owner);
            CompletableFuture<Void> afterDurable = after.commitPending(owner);
            hold.release();

            blockerDurable.join();
            beforeDurable.join();
            afterDurable.join();
            CompletionException thrown = assertThrows(CompletionException.class, bigDurable::join);
            assertInstanceOf(CommitFailedException.class, thrown.getCause());
            assertEquals("before", text(small.objectStorage(namespace, StorageTesting.objectId(1)).get("k")));
            assertEquals("after", text(small.objectStorage(namespace, StorageTesting.objectId(3)).get("k")));
            assertEquals(1, small.writerStats().failedBatches());
        }
    }

    private void seedReaderObject(int object) {
        ObjectStorage storage = storage(object);
        for (int i = 0; i < 50; i++) {
            storage.put(String.format("r%02d", i), bytes("reader-" + i));
        }
        commit(storage);
    }

    /** Reads the seeded object over and over until {@code done}, checking every value each round. */
    private void readUntil(CompletableFuture<Void> done, int object, AtomicInteger rounds) {
        ObjectStorage storage = storage(object);
        do {
            List<Entry> listed = storage.list(ListOptions.all());
            assertEquals(50, listed.size());
            for (int i = 0; i < 50; i++) {
                assertEquals("reader-" + i, text(listed.get(i).value()));
            }
            assertEquals("reader-7", text(storage.get("r07")));
            rounds.incrementAndGet();
        } while (!done.isDone());
    }

    private void produce(EventLoop owner, int firstObject, ConcurrentLinkedQueue<CompletableFuture<Void>> durable) {
        List<ObjectStorage> objects = new ArrayList<>();
        for (int i = 0; i < OBJECTS_PER_PRODUCER; i++) {
            objects.add(storage(firstObject + i));
        }
        for (int turn = 0; turn < TURNS; turn++) {
            for (int i = 0; i < OBJECTS_PER_PRODUCER; i++) {
                ObjectStorage storage = objects.get(i);
                for (int j = 0; j < PUTS_PER_TURN; j++) {
                    storage.put("t" + turn + "-" + j, value(firstObject + i, turn, j));
                }
                durable.add(storage.commitPending(owner));
            }
        }
    }

    private void checkAllProduced() {
        for (int object = 0; object < PRODUCERS * OBJECTS_PER_PRODUCER; object++) {
            ObjectStorage fresh = storage(object);
            assertEquals(TURNS * PUTS_PER_TURN, fresh.list(ListOptions.all()).size(), "object " + object);
            for (int turn = 0; turn < TURNS; turn++) {
                for (int j = 0; j < PUTS_PER_TURN; j++) {
                    assertArrayEquals(value(object, turn, j), fresh.get("t" + turn + "-" + j));
                }
            }
        }
    }

    private static byte[] value(int object, int turn, int index) {
        byte[] value = new byte[VALUE_BYTES];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) (object * 31 + turn * 7 + index + i);
        }
        return value;
    }
}
