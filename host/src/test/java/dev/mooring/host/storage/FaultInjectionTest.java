package dev.mooring.host.storage;

import static dev.mooring.host.storage.StorageTesting.bytes;
import static dev.mooring.host.storage.StorageTesting.keys;
import static dev.mooring.host.storage.StorageTesting.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mooring.host.logging.ObjectLabels;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The output-gate path: a batch that fails breaks its own object and no other. */
class FaultInjectionTest extends StoreTestBase {

    private final CommitGate gate = new CommitGate();

    @Override
    LmdbStore.Options options() {
        return super.options().withCommitFaultInjector(gate);
    }

    @Test
    void failedBatchBreaksOnlyItsObject() {
        ObjectStorage a = storage(1);
        ObjectStorage b = storage(2);
        ObjectStorage c = storage(3);
        ObjectStorage blocker = storage(4);
        for (ObjectStorage storage : List.of(a, b, c)) {
            storage.put("k1", bytes("first"));
            commit(storage);
        }

        // Hold the writer on an unrelated batch so that the next batches form one group.
        CommitGate.Hold hold = gate.holdNextBatch();
        blocker.put("x", bytes("x"));
        CompletableFuture<Void> blockerDurable = blocker.commitPending(loop);
        hold.awaitReached();
        long commitsBefore = store.writerStats().commits();

        gate.failBatch(b, 2);
        a.put("k2", bytes("a2"));
        b.put("k2", bytes("b2"));
        c.put("k2", bytes("c2"));
        CompletableFuture<Void> aDurable = a.commitPending(loop);
        CompletableFuture<Void> bDurable = b.commitPending(loop);
        CompletableFuture<Void> cDurable = c.commitPending(loop);
        b.put("k3", bytes("b3"));
        CompletableFuture<Void> bLaterDurable = b.commitPending(loop);
        AtomicReference<String> failureThread = new AtomicReference<>();
        CompletableFuture<Void> failureObserved =
                bDurable.whenComplete((ignored, failure) -> failureThread.set(Thread.currentThread().getName()));

        hold.release();
        blockerDurable.join();
        aDurable.join();
        cDurable.join();

        CommitFailedException failure = commitFailure(bDurable);
        assertEquals(b.namespaceId(), failure.namespaceId());
        assertEquals(b.objectIdHex(), failure.objectIdHex());
        assertEquals(2, failure.sequence());
        assertTrue(failure.getCause().getMessage().contains("Fault injected"), failure.getCause().getMessage());
        CommitFailedException later = commitFailure(bLaterDurable);
        assertEquals(3, later.sequence());
        assertTrue(later.getMessage().contains("an earlier batch of the same object failed"), later.getMessage());
        assertThrows(CompletionException.class, failureObserved::join);
        assertEquals("test-object-loop", failureThread.get(), "failures complete on the owner loop too");

        assertEquals(commitsBefore + 2, store.writerStats().commits(), "blocker, then one replayed group");
        assertEquals(2, store.writerStats().failedBatches());
        assertEquals("a2", text(storage(1).get("k2")));
        assertEquals("c2", text(storage(3).get("k2")));
        assertEquals(List.of("k1"), keys(storage(2).list(ListOptions.all())), "b keeps only its committed batch");
    }

    @Test
    void brokenStorageRejectsEveryCall() {
        ObjectStorage storage = storage(1);
        gate.failBatch(storage, 1);
        storage.put("k", bytes("v"));
        CompletableFuture<Void> durable = storage.commitPending(loop);
        commitFailure(durable);

        assertTrue(storage.isBroken());
        List<Runnable> calls = List.of(
                () -> storage.get("k"),
                () -> storage.get(List.of("k")),
                () -> storage.put("k", bytes("v")),
                () -> storage.put(List.of(StorageTesting.entry("k", "v"))),
                () -> storage.delete("k"),
                () -> storage.delete(List.of("k")),
                storage::deleteAll,
                () -> storage.list(ListOptions.all()),
                storage::hasPendingWrites,
                () -> storage.commitPending(loop));
        for (Runnable call : calls) {
            IllegalStateException thrown = assertThrows(IllegalStateException.class, call::run);
            assertTrue(thrown.getMessage().contains("object " + ObjectLabels.shortId(storage.objectIdHex()) + " in namespace"),
                    thrown.getMessage());
            assertInstanceOf(CommitFailedException.class, thrown.getCause());
        }
    }

    @Test
    void freshStorageAfterFailureSeesOnlyCommittedData() {
        ObjectStorage storage = storage(1);
        storage.put("kept", bytes("1"));
        commit(storage);
        gate.failBatch(storage, 2);
        storage.put("lost", bytes("2"));
        storage.delete("kept");
        commitFailure(storage.commitPending(loop));

        ObjectStorage reset = storage(1);
        assertFalse(reset.isBroken());
        assertEquals("1", text(reset.get("kept")));
        assertNull(reset.get("lost"));
        reset.put("after", bytes("3"));
        commit(reset);
        assertEquals(List.of("after", "kept"), keys(storage(1).list(ListOptions.all())));
    }

    private static CommitFailedException commitFailure(CompletableFuture<Void> future) {
        CompletionException thrown = assertThrows(CompletionException.class, future::join);
        return assertInstanceOf(CommitFailedException.class, thrown.getCause());
    }
}
