package dev.mooring.host.storage;

import static dev.mooring.host.storage.StorageTesting.bytes;
import static dev.mooring.host.storage.StorageTesting.keys;
import static dev.mooring.host.storage.StorageTesting.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** What survives closing and reopening the store. */
class DurabilityTest extends StoreTestBase {

    @Test
    void committedDataSurvivesReopen() throws IOException {
        int namespace = store.namespaceId("test:Namespace");
        ObjectStorage storage = storage(1);
        storage.put("a", bytes("1"));
        storage.put("p".repeat(1000), bytes("long"));
        commit(storage);
        storage.delete("a");
        storage.put("b", bytes("2"));
        commit(storage);

        reopen();

        assertEquals(namespace, store.namespaceId("test:Namespace"));
        ObjectStorage reopened = storage(1);
        assertNull(reopened.get("a"));
        assertEquals("2", text(reopened.get("b")));
        assertEquals("long", text(reopened.get("p".repeat(1000))));
        assertEquals(List.of("b", "p".repeat(1000)), keys(reopened.list(ListOptions.all())));
    }

    @Test
    void closeCommitsSubmittedBatches() throws IOException {
        List<CompletableFuture<Void>> durable = new ArrayList<>();
        for (int object = 1; object <= 20; object++) {
            ObjectStorage storage = storage(object);
            storage.put("k", bytes("v" + object));
            durable.add(storage.commitPending(loop));
        }

        store.close();
        CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new)).join();

        reopen();
        for (int object = 1; object <= 20; object++) {
            assertEquals("v" + object, text(storage(object).get("k")));
        }
    }

    @Test
    void writesNeverSubmittedAreLost() throws IOException {
        ObjectStorage storage = storage(1);
        storage.put("kept", bytes("1"));
        commit(storage);
        storage.put("pending", bytes("2"));

        reopen();

        assertEquals(List.of("kept"), keys(storage(1).list(ListOptions.all())));
    }
}
