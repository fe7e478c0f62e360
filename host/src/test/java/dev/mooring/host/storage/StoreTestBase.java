package dev.mooring.host.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a store in a temporary directory before each test, and after it closes the store and
 * checks that no transaction stayed open and the writer thread is gone.
 */
abstract class StoreTestBase {

    @TempDir
    Path directory;

    LmdbStore store;
    EventLoop loop;

    /** The options of the store under test; tests override this to shrink limits. */
    LmdbStore.Options options() {
        return LmdbStore.Options.defaults().withInitialMapSizeBytes(64L << 20);
    }

    @BeforeEach
    void openStore() throws IOException {
        store = LmdbStore.open(directory.resolve("store"), options());
        loop = new EventLoop("test-object-loop");
    }

    @AfterEach
    void closeStore() {
        loop.close();
        store.close();
        assertEquals(0, store.openTransactions(), "open LMDB transactions after close");
        assertFalse(store.isWriterRunning(), "commit writer still running after close");
    }

    LmdbStore reopen() throws IOException {
        store.close();
        store = LmdbStore.open(directory.resolve("store"), options());
        return store;
    }

    ObjectStorage storage(int objectSeed) {
        return store.objectStorage(store.namespaceId("test:Namespace"), StorageTesting.objectId(objectSeed));
    }

    /** Commits the pending writes of {@code storage} and waits until they are durable. */
    void commit(ObjectStorage storage) {
        storage.commitPending(loop).join();
    }
}
