package dev.mooring.host.storage;

import static dev.mooring.host.storage.StorageTesting.bytes;
import static dev.mooring.host.storage.StorageTesting.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** After close: no transactions, no writer thread, and every call fails clearly. */
class CloseTest extends StoreTestBase {

    @Test
    void closeLeavesNoTransactionsOrWriterThread() {
        ObjectStorage storage = storage(1);
        // Commit completions run on the loop, so the owner's work must run there too.
        loop.run(() -> {
            for (int i = 0; i < 50; i++) {
                storage.put("k" + i, bytes("v"));
                storage.commitPending(loop);
                storage.list(ListOptions.all());
            }
        });

        store.close();

        assertEquals(0, store.openTransactions());
        assertFalse(store.isWriterRunning());
        String writerName = "mooring-storage-writer-store";
        List<String> live = Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(writerName::equals)
                .toList();
        assertEquals(List.of(), live);
    }

    @Test
    void callsAfterCloseThrow() {
        ObjectStorage storage = storage(1);
        storage.put("k", bytes("v"));
        store.close();

        assertThrows(IllegalStateException.class, () -> storage.get("k"));
        assertThrows(IllegalStateException.class, () -> storage.put("k", bytes("v")));
        assertThrows(IllegalStateException.class, () -> storage.list(ListOptions.all()));
        assertThrows(IllegalStateException.class, () -> storage.commitPending(loop));
        assertThrows(IllegalStateException.class, () -> store.namespaceId("test:Other"));
        assertThrows(IllegalStateException.class, () -> store.objectStorage(1, StorageTesting.objectId(1)));
        store.close();
    }

    @Test
    void directoryCannotBeOpenedTwice() throws IOException {
        assertThrows(IllegalStateException.class, () -> LmdbStore.open(directory.resolve("store"), options()));

        ObjectStorage storage = storage(1);
        storage.put("k", bytes("still usable"));
        commit(storage);
        reopen();
        assertEquals("still usable", text(storage(1).get("k")));
    }
}
