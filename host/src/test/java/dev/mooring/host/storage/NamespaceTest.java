package dev.mooring.host.storage;

import static dev.mooring.host.storage.StorageTesting.bytes;
import static dev.mooring.host.storage.StorageTesting.keys;
import static dev.mooring.host.storage.StorageTesting.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Namespace ids: allocation, persistence, rename and deletion in bounded chunks. */
class NamespaceTest extends StoreTestBase {

    private static final int CHUNK = 10;

    @Override
    LmdbStore.Options options() {
        return super.options().withMaxOperationsPerCommit(CHUNK);
    }

    @Test
    void idsAreSmallDistinctAndStable() throws IOException {
        int first = store.namespaceId("script:A");
        int second = store.namespaceId("script:B");
        assertEquals(1, first);
        assertEquals(2, second);
        assertEquals(first, store.namespaceId("script:A"));

        reopen();
        assertEquals(first, store.namespaceId("script:A"));
        assertEquals(second, store.namespaceId("script:B"));
        assertEquals(3, store.namespaceId("script:C"));
    }

    @Test
    void renameKeepsIdAndData() throws IOException {
        int id = store.namespaceId("script:Old");
        ObjectStorage storage = store.objectStorage(id, StorageTesting.objectId(1));
        storage.put("k", bytes("v"));
        commit(storage);

        store.renameNamespace("script:Old", "script:New");

        assertEquals(id, store.namespaceId("script:New"));
        assertEquals("v", text(store.objectStorage(store.namespaceId("script:New"), StorageTesting.objectId(1)).get("k")));
        int reused = store.namespaceId("script:Old");
        assertNotEquals(id, reused, "the old key names a new, empty namespace");

        reopen();
        assertEquals(id, store.namespaceId("script:New"));
        assertEquals(reused, store.namespaceId("script:Old"));
    }

    @Test
    void renameRejectsMissingTakenAndSameKeys() {
        store.namespaceId("script:A");
        store.namespaceId("script:B");

        assertThrows(IllegalArgumentException.class, () -> store.renameNamespace("script:Missing", "script:C"));
        IllegalArgumentException taken =
                assertThrows(IllegalArgumentException.class, () -> store.renameNamespace("script:A", "script:B"));
        assertTrue(taken.getMessage().contains("script:B"), taken.getMessage());
        assertThrows(IllegalArgumentException.class, () -> store.renameNamespace("script:A", "script:A"));
        assertEquals(1, store.namespaceId("script:A"));
        assertEquals(2, store.namespaceId("script:B"));
    }

    @Test
    void deleteRemovesOnlyThatNamespace() {
        int doomedId = store.namespaceId("script:Doomed");
        int keptId = store.namespaceId("script:Kept");
        for (int object = 1; object <= 3; object++) {
            ObjectStorage storage = store.objectStorage(doomedId, StorageTesting.objectId(object));
            for (int i = 0; i < 20; i++) {
                storage.put("k" + i, bytes("v"));
            }
            storage.put("p".repeat(600) + "a", bytes("bucket"));
            storage.put("p".repeat(600) + "b", bytes("bucket"));
            commit(storage);
        }
        ObjectStorage keptStorage = store.objectStorage(keptId, StorageTesting.objectId(1));
        keptStorage.put("k", bytes("kept"));
        commit(keptStorage);
        long batchesBefore = store.writerStats().batches();

        long deleted = store.deleteNamespace("script:Doomed").join();

        assertEquals(3 * 22, deleted, "20 direct entries, one bucket and one usage record per object");
        assertEquals(0, StorageTesting.countRawEntries(store, KeyLayout.namespacePrefix(doomedId)));
        assertEquals("kept", text(store.objectStorage(keptId, StorageTesting.objectId(1)).get("k")));
        assertEquals(batchesBefore, store.writerStats().batches(), "deletion chunks are not counted as batches");
        int fresh = store.namespaceId("script:Doomed");
        assertNotEquals(doomedId, fresh);
        assertEquals(List.of(), keys(store.objectStorage(fresh, StorageTesting.objectId(1)).list(ListOptions.all())));
    }

    @Test
    void deleteOfUnknownNamespaceDeletesNothing() {
        assertEquals(0L, store.deleteNamespace("script:Never").join());
    }

    @Test
    void interruptedDeleteResumesAtOpen() throws IOException {
        int doomedId = store.namespaceId("script:Doomed");
        int keptId = store.namespaceId("script:Kept");
        for (int i = 0; i < 35; i++) {
            ObjectStorage storage = store.objectStorage(doomedId, StorageTesting.objectId(i));
            storage.put("k", bytes("v"));
            commit(storage);
        }
        ObjectStorage keptStorage = store.objectStorage(keptId, StorageTesting.objectId(1));
        keptStorage.put("k", bytes("kept"));
        commit(keptStorage);
        store.close();

        // Simulate a crash right after the deletion was recorded: mark it, delete nothing.
        LmdbEnvironment environment = LmdbEnvironment.open(directory.resolve("store").toRealPath(), options());
        try {
            NamespaceRegistry registry = new NamespaceRegistry(environment.meta());
            Integer marked = environment.write(txn -> registry.markDeleting(txn, "script:Doomed"));
            assertEquals(Integer.valueOf(doomedId), marked);
        } finally {
            environment.close();
        }

        reopen();
        store.resumedDeletions().join();

        assertEquals(0, StorageTesting.countRawEntries(store, KeyLayout.namespacePrefix(doomedId)));
        assertEquals(List.of(), store.environment().read(new NamespaceRegistry(store.environment().meta())::pendingDeletions));
        assertEquals("kept", text(store.objectStorage(keptId, StorageTesting.objectId(1)).get("k")));
        assertNotEquals(doomedId, store.namespaceId("script:Doomed"));
    }

    @Test
    void invalidArgumentsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> store.namespaceId(""));
        assertThrows(IllegalArgumentException.class, () -> store.namespaceId("x".repeat(NamespaceRegistry.MAX_UNIQUE_KEY_LENGTH + 1)));
        assertThrows(IllegalArgumentException.class, () -> store.objectStorage(0, StorageTesting.objectId(1)));
        assertThrows(IllegalArgumentException.class, () -> store.objectStorage(1, new byte[31]));
    }
}
