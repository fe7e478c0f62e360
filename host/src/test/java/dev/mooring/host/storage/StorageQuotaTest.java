package dev.mooring.host.storage;

import static dev.mooring.host.storage.StorageTesting.bytes;
import static dev.mooring.host.storage.StorageTesting.entry;
import static dev.mooring.host.storage.StorageTesting.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.lmdbjava.Cursor;

/** Usage records and quotas: what an object stores is counted exactly, kept across restarts, and checked before a write. */
class StorageQuotaTest extends StoreTestBase {

    private final CommitGate gate = new CommitGate();

    @Override
    LmdbStore.Options options() {
        return super.options().withCommitFaultInjector(gate);
    }

    private int namespace() {
        return store.namespaceId("test:Namespace");
    }

    private ObjectStorage storage(int objectSeed, StorageQuota quota) {
        return store.objectStorage(namespace(), StorageTesting.objectId(objectSeed), quota);
    }

    private StorageQuota quota(long perObject, long perScript) {
        return store.storageQuota(perObject, perScript, List.of(namespace()));
    }

    @Test
    void usageCountsKeysAndValues() {
        ObjectStorage storage = storage(1, quota(Long.MAX_VALUE - 1, Long.MAX_VALUE));
        String longKey = "p".repeat(600);

        storage.put("ab", bytes("12345"));
        assertEquals(7, storage.storedBytes(), "2 key bytes and 5 value bytes");
        storage.put("ab", bytes("1"));
        assertEquals(3, storage.storedBytes(), "a replaced value counts once");
        storage.put(List.of(entry("c", "xy"), entry("c", "xyz"), entry(longKey + "1", "v")));
        assertEquals(3 + 4 + 602, storage.storedBytes(), "a key given twice counts its last value; long keys count whole");
        commit(storage);
        assertEquals(609, storage(1, StorageQuota.UNLIMITED).storedBytes(), "a fresh storage reads the usage record");
        assertEquals(609, store.storedBytes(namespace()));

        assertTrue(storage.delete("ab"));
        assertEquals(1, storage.delete(List.of("c", "c", "missing")));
        assertEquals(602, storage.storedBytes());
        commit(storage);
        assertEquals(602, store.storedBytes(namespace()));

        storage.deleteAll();
        storage.put("z", bytes("9"));
        assertEquals(2, storage.storedBytes(), "only writes after deleteAll() count");
        commit(storage);
        assertEquals(2, store.storedBytes(namespace()));
        assertEquals(2, storage(1, StorageQuota.UNLIMITED).storedBytes());
    }

    @Test
    void replacedValueCountsOnceAcrossCommits() {
        ObjectStorage storage = storage(1, quota(Long.MAX_VALUE - 1, Long.MAX_VALUE));
        storage.put("n", bytes("1"));
        commit(storage);

        for (int length = 2; length <= 5; length++) {
            assertEquals(length - 1, storage.get("n").length);
            storage.put("n", new byte[length]);
            commit(storage);
            assertEquals(1 + length, storage.storedBytes(), "after the write of " + length + " bytes");
        }
        storage.put("n", new byte[7]);
        commit(storage);
        storage.put("n", new byte[3]);
        assertEquals(4, storage.storedBytes(), "a put after a committed put replaces the committed size, not an older read");

        commit(storage);
        assertEquals(3, storage.get("n").length);
        assertTrue(storage.delete("n"));
        assertFalse(storage.delete("n"));
        commit(storage);
        assertNull(storage.get("n"));
        storage.put("n", bytes("xy"));
        assertEquals(3, storage.storedBytes());
        commit(storage);
        assertEquals(3, store.storedBytes(namespace()));

        storage.put(List.of(entry("n", "12345"), entry("m", "1")));
        commit(storage);
        storage.put("n", bytes("1"));
        assertEquals(2 + 2, storage.storedBytes(), "a multi-put replaces what a single put wrote before it");
        commit(storage);
        storage.deleteAll();
        commit(storage);
        storage.put("n", bytes("123"));
        assertEquals(4, storage.storedBytes(), "nothing is stored after deleteAll()");
        commit(storage);
        assertEquals(4, store.storedBytes(namespace()));
    }

    @Test
    void storageWithoutQuotaCountsItsPendingWrites() {
        ObjectStorage storage = storage(1, StorageQuota.UNLIMITED);
        storage.put("a", bytes("1234"));
        commit(storage);
        storage.put("a", bytes("12"));
        storage.put("b", bytes("1"));

        assertEquals(5, storage.storedBytes(), "the committed record plus what the overlay changes");
    }

    @Test
    void putPastObjectQuotaThrowsAndWritesNothing() {
        ObjectStorage storage = storage(1, quota(100, Long.MAX_VALUE));
        storage.put("a", new byte[89]);

        StorageQuotaExceededException error = assertThrows(StorageQuotaExceededException.class,
                () -> storage.put("b", new byte[10]));

        assertEquals(StorageQuotaExceededException.Scope.OBJECT, error.scope());
        assertEquals(100, error.limitBytes());
        assertEquals(101, error.resultingBytes());
        assertNull(storage.get("b"));
        assertEquals(90, storage.storedBytes());
        storage.put("b", new byte[9]);
        assertEquals(100, storage.storedBytes(), "a write that reaches the quota exactly is allowed");
    }

    @Test
    void multiPutPastQuotaWritesNothing() {
        ObjectStorage storage = storage(1, quota(100, Long.MAX_VALUE));

        assertThrows(StorageQuotaExceededException.class,
                () -> storage.put(List.of(entry("a", "x".repeat(40)), entry("b", "x".repeat(60)))));

        assertNull(storage.get("a"));
        assertNull(storage.get("b"));
        assertEquals(0, storage.storedBytes());
    }

    @Test
    void objectAtQuotaCanShrinkAndDelete() {
        ObjectStorage storage = storage(1, quota(50, Long.MAX_VALUE));
        storage.put("a", new byte[29]);
        storage.put("b", new byte[19]);
        commit(storage);
        ObjectStorage tighter = storage(1, quota(40, Long.MAX_VALUE));

        assertThrows(StorageQuotaExceededException.class, () -> tighter.put("c", new byte[1]));
        tighter.put("a", new byte[10]);
        assertTrue(tighter.delete("b"));
        tighter.deleteAll();

        assertEquals(0, tighter.storedBytes());
    }

    @Test
    void scriptQuotaCountsEveryObjectOfItsNamespaces() {
        int other = store.namespaceId("test:Other");
        StorageQuota quota = store.storageQuota(Long.MAX_VALUE - 1, 100, List.of(namespace(), other));
        ObjectStorage first = storage(1, quota);
        ObjectStorage second = store.objectStorage(other, StorageTesting.objectId(2), quota);
        ObjectStorage unrelated = store.objectStorage(store.namespaceId("other-script:Class"), StorageTesting.objectId(3),
                store.storageQuota(Long.MAX_VALUE - 1, 100, List.of(store.namespaceId("other-script:Class"))));
        first.put("a", new byte[59]);
        commit(first);
        unrelated.put("u", new byte[99]);
        commit(unrelated);

        second.put("b", new byte[29]);
        StorageQuotaExceededException error = assertThrows(StorageQuotaExceededException.class,
                () -> second.put("c", new byte[10]));

        assertEquals(StorageQuotaExceededException.Scope.SCRIPT, error.scope());
        assertEquals(60 + 30 + 11, error.resultingBytes(), "committed bytes of both namespaces plus this object's pending ones");
        assertEquals(60, quota.committedScriptBytes());
        commit(second);
        assertEquals(90, quota.committedScriptBytes());
    }

    @Test
    void usageSurvivesReopen() throws Exception {
        ObjectStorage storage = storage(1, quota(100, 1000));
        storage.put("a", new byte[49]);
        commit(storage);

        reopen();
        ObjectStorage reopened = storage(1, quota(100, 1000));

        assertEquals(50, reopened.storedBytes());
        assertEquals(50, store.storedBytes(namespace()));
        assertThrows(StorageQuotaExceededException.class, () -> reopened.put("b", new byte[50]));
    }

    @Test
    void storeWithoutUsageRecordsRebuildsThemAtOpen() throws Exception {
        ObjectStorage one = storage(1, StorageQuota.UNLIMITED);
        one.put("a", bytes("123"));
        one.put("q".repeat(500) + "x", bytes("long"));
        commit(one);
        ObjectStorage two = storage(2, StorageQuota.UNLIMITED);
        two.put("b", bytes("1"));
        commit(two);
        long before = store.storedBytes(namespace());
        removeUsageRecords();

        reopen();

        assertEquals(4 + 501 + 4 + 2, before);
        assertEquals(before, store.storedBytes(namespace()));
        assertEquals(4 + 505, storage(1, StorageQuota.UNLIMITED).storedBytes());
        assertEquals(2, storage(2, StorageQuota.UNLIMITED).storedBytes());
    }

    @Test
    void failedBatchLeavesCommittedUsageAlone() {
        ObjectStorage storage = storage(1, quota(1000, 1000));
        storage.put("a", new byte[9]);
        commit(storage);
        gate.failBatch(storage, 2);

        storage.put("b", new byte[99]);
        CompletionException failure = assertThrows(CompletionException.class, () -> storage.commitPending(loop).join());

        assertInstanceOf(CommitFailedException.class, failure.getCause());
        assertEquals(10, store.storedBytes(namespace()));
        assertEquals(10, storage(1, quota(1000, 1000)).storedBytes(), "a fresh instance counts only what committed");
    }

    @Test
    void namespaceDeletionDropsItsUsage() {
        ObjectStorage storage = storage(1, StorageQuota.UNLIMITED);
        storage.put("a", new byte[9]);
        commit(storage);
        int doomed = namespace();

        store.deleteNamespace("test:Namespace").join();

        assertEquals(0, store.storedBytes(doomed));
        assertFalse(hasMetaKeyStartingWith("usage/namespace/"), "the namespace's usage record is gone");
    }

    /** Deletes every usage record and the marker, as in a store written before usage was recorded. */
    private void removeUsageRecords() {
        LmdbEnvironment environment = store.environment();
        store.close();
        LmdbEnvironment reopened = LmdbEnvironment.open(environment.directory(), options());
        try {
            reopened.write(txn -> {
                try (Cursor<ByteBuffer> cursor = reopened.kv().openCursor(txn)) {
                    boolean onEntry = cursor.first();
                    while (onEntry) {
                        ByteBuffer key = cursor.key();
                        if (key.remaining() == KeyLayout.HEADER_LENGTH
                                && key.get(key.position() + KeyLayout.HEADER_LENGTH - 1) == KeyLayout.KIND_USAGE) {
                            cursor.delete();
                        }
                        onEntry = cursor.next();
                    }
                }
                try (Cursor<ByteBuffer> cursor = reopened.meta().openCursor(txn)) {
                    boolean onEntry = cursor.first();
                    while (onEntry) {
                        if (StandardCharsets.US_ASCII.decode(cursor.key().duplicate()).toString().startsWith("usage/")) {
                            cursor.delete();
                        }
                        onEntry = cursor.next();
                    }
                }
                return null;
            });
        } finally {
            reopened.close();
        }
    }

    private boolean hasMetaKeyStartingWith(String prefix) {
        LmdbEnvironment environment = store.environment();
        return environment.read(txn -> {
            try (Cursor<ByteBuffer> cursor = environment.meta().openCursor(txn)) {
                boolean onEntry = cursor.first();
                while (onEntry) {
                    if (StandardCharsets.US_ASCII.decode(cursor.key().duplicate()).toString().startsWith(prefix)) {
                        return true;
                    }
                    onEntry = cursor.next();
                }
            }
            return false;
        });
    }
}
