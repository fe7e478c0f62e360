package dev.mooring.host.storage;

import static dev.mooring.host.storage.StorageTesting.bytes;
import static dev.mooring.host.storage.StorageTesting.keys;
import static dev.mooring.host.storage.StorageTesting.text;
import static dev.mooring.host.storage.StorageTesting.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Read-your-writes through the whole commit pipeline: pending, in flight, and durable. */
class ReadYourWritesTest extends StoreTestBase {

    private final CommitGate gate = new CommitGate();

    @Override
    LmdbStore.Options options() {
        return super.options().withCommitFaultInjector(gate);
    }

    @Test
    void pendingPutIsVisible() {
        ObjectStorage storage = storage(1);
        storage.put("k", bytes("v"));

        assertTrue(storage.hasPendingWrites());
        assertEquals("v", text(storage.get("k")));
        assertEquals(List.of("k"), keys(storage.list(ListOptions.all())));
        assertNull(storage(1).get("k"), "another storage sees only LMDB");
    }

    @Test
    void inFlightBatchStaysVisibleUntilDurable() {
        ObjectStorage storage = storage(1);
        CommitGate.Hold hold = gate.holdNextBatch();
        storage.put("k", bytes("v"));

        CompletableFuture<Void> durable = storage.commitPending(loop);
        hold.awaitReached();

        assertFalse(durable.isDone());
        assertFalse(storage.hasPendingWrites());
        assertEquals("v", text(storage.get("k")));
        assertEquals(List.of("v"), values(storage.list(ListOptions.all())));
        assertNull(storage(1).get("k"), "not committed while the writer is held");

        hold.release();
        durable.join();
        assertEquals(0, storage.overlaySize());
        assertEquals("v", text(storage.get("k")));
        assertEquals("v", text(storage(1).get("k")));
    }

    @Test
    void laterOverwriteSurvivesEarlierCommit() {
        ObjectStorage storage = storage(1);
        CommitGate.Hold first = gate.holdNextBatch();
        storage.put("k", bytes("v1"));
        storage.put("other", bytes("o"));
        CompletableFuture<Void> firstDurable = storage.commitPending(loop);
        first.awaitReached();

        CommitGate.Hold second = gate.holdNextBatch();
        storage.put("k", bytes("v2"));
        CompletableFuture<Void> secondDurable = storage.commitPending(loop);
        first.release();
        firstDurable.join();
        second.awaitReached();

        assertEquals("v1", text(storage(1).get("k")), "LMDB holds the first batch");
        assertEquals("v2", text(storage.get("k")), "the overlay keeps the newer write");
        assertEquals(1, storage.overlaySize(), "only the overwritten key is still in the overlay");
        assertFalse(secondDurable.isDone());

        second.release();
        secondDurable.join();
        assertEquals(0, storage.overlaySize());
        assertEquals("v2", text(storage(1).get("k")));
    }

    @Test
    void putThenDeleteCoalescesToDelete() {
        ObjectStorage storage = storage(1);
        storage.put("k", bytes("stored"));
        commit(storage);

        storage.put("k", bytes("x"));
        storage.delete("k");
        storage.put("j", bytes("1"));
        storage.put("i", bytes("2"));
        storage.put("j", bytes("3"));
        commit(storage);

        WriteBatch batch = gate.applied().getLast();
        assertEquals(3, batch.operationCount());
        assertEquals("Delete[key=k]", batch.operations().get(0).toString());
        assertEquals("Put[key=i, value=1 bytes]", batch.operations().get(1).toString());
        WriteBatch.Put lastPut = assertInstanceOf(WriteBatch.Put.class, batch.operations().get(2));
        assertEquals("j", text(lastPut.key()));
        assertEquals("3", text(lastPut.value()));
        assertNull(storage(1).get("k"));
    }

    @Test
    void deleteAllHidesStoredKeysUntilDurable() {
        ObjectStorage storage = storage(1);
        storage.put("a", bytes("1"));
        storage.put("b", bytes("2"));
        storage.put("c", bytes("3"));
        commit(storage);

        CommitGate.Hold hold = gate.holdNextBatch();
        storage.deleteAll();
        storage.put("d", bytes("4"));
        storage.put("a", bytes("new"));
        assertEquals(List.of("a", "d"), keys(storage.list(ListOptions.all())));
        assertEquals(List.of("new", "4"), values(storage.list(ListOptions.all())));
        assertNull(storage.get("b"));
        assertFalse(storage.delete("c"));
        assertEquals(List.of("a", "d"), keys(storage.get(List.of("a", "b", "c", "d"))));

        CompletableFuture<Void> durable = storage.commitPending(loop);
        hold.awaitReached();
        WriteBatch batch = gate.applied().getLast();
        assertInstanceOf(WriteBatch.DeleteAll.class, batch.operations().getFirst());

        assertEquals(List.of("a", "d"), keys(storage.list(ListOptions.all())), "hidden while in flight");
        storage.put("e", bytes("5"));
        assertEquals(List.of("e", "d", "a"), keys(storage.list(new ListOptions(null, null, null, null, true, 0))));
        assertEquals(List.of("a", "b", "c"), keys(storage(1).list(ListOptions.all())), "LMDB unchanged yet");

        hold.release();
        durable.join();
        assertEquals(List.of("a", "d", "e"), keys(storage.list(ListOptions.all())));
        commit(storage);
        assertEquals(List.of("a", "d", "e"), keys(storage(1).list(ListOptions.all())));
        assertEquals(0, storage.overlaySize());
    }

    @Test
    void deleteAllInTwoTurnsInFlight() {
        ObjectStorage storage = storage(1);
        storage.put("a", bytes("1"));
        commit(storage);

        CommitGate.Hold firstHold = gate.holdNextBatch();
        storage.deleteAll();
        storage.put("b", bytes("2"));
        CompletableFuture<Void> first = storage.commitPending(loop);
        firstHold.awaitReached();
        CommitGate.Hold secondHold = gate.holdNextBatch();
        storage.deleteAll();
        storage.put("c", bytes("3"));
        CompletableFuture<Void> second = storage.commitPending(loop);
        assertEquals(List.of("c"), keys(storage.list(ListOptions.all())));

        firstHold.release();
        first.join();
        secondHold.awaitReached();
        assertEquals(List.of("b"), keys(storage(1).list(ListOptions.all())), "LMDB holds the first batch");
        assertEquals(List.of("c"), keys(storage.list(ListOptions.all())), "the second deleteAll still hides b");
        secondHold.release();
        second.join();
        assertEquals(List.of("c"), keys(storage.list(ListOptions.all())));
        assertEquals(List.of("c"), keys(storage(1).list(ListOptions.all())));
    }

    @Test
    void deleteCountsPendingWrites() {
        ObjectStorage storage = storage(1);
        storage.put("x", bytes("1"));
        assertTrue(storage.delete("x"));
        assertFalse(storage.delete("y"));

        storage.put("y", bytes("2"));
        commit(storage);
        assertTrue(storage.delete("y"));
        assertFalse(storage.delete("y"));
    }

    @Test
    void commitWithoutWritesReturnsPreviousFuture() {
        ObjectStorage storage = storage(1);
        assertTrue(storage.commitPending(loop).isDone());

        CommitGate.Hold hold = gate.holdNextBatch();
        storage.put("k", bytes("v"));
        CompletableFuture<Void> durable = storage.commitPending(loop);
        hold.awaitReached();

        assertSame(durable, storage.commitPending(loop));
        hold.release();
        durable.join();
        assertSame(durable, storage.commitPending(loop));
        assertEquals("v", text(storage(1).get("k")));
    }

    @Test
    void commitCompletesOnOwnerLoop() {
        ObjectStorage storage = storage(1);
        CommitGate.Hold hold = gate.holdNextBatch();
        storage.put("k", bytes("v"));
        AtomicReference<String> completionThread = new AtomicReference<>();

        CompletableFuture<Void> observed = storage.commitPending(loop)
                .thenRun(() -> completionThread.set(Thread.currentThread().getName()));
        hold.awaitReached();
        hold.release();
        observed.join();

        assertEquals("test-object-loop", completionThread.get());
    }

    @Test
    void valuesAreCopiedInAndOut() {
        ObjectStorage storage = storage(1);
        byte[] value = bytes("abc");
        storage.put("k", value);
        value[0] = 'X';

        byte[] read = storage.get("k");
        assertEquals("abc", text(read));
        read[1] = 'Y';
        assertEquals("abc", text(storage.get("k")));
        storage.list(ListOptions.all()).getFirst().value()[2] = 'Z';
        assertEquals("abc", text(storage.get("k")));

        commit(storage);
        assertEquals("abc", text(storage(1).get("k")));
    }

    @Test
    void putManyLaterValueWins() {
        ObjectStorage storage = storage(1);
        storage.put(List.of(StorageTesting.entry("a", "1"), StorageTesting.entry("b", "2"), StorageTesting.entry("a", "3")));
        assertEquals(List.of("3", "2"), values(storage.list(ListOptions.all())));
        commit(storage);
        assertEquals(List.of("3", "2"), values(storage(1).list(ListOptions.all())));
    }
}
