package dev.mooring.host.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.lmdbjava.Cursor;
import org.lmdbjava.Txn;

/** Helpers shared by the storage tests. */
final class StorageTesting {

    private StorageTesting() {
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }

    /** Returns a 32-byte object id whose bytes all derive from {@code seed}. */
    static byte[] objectId(int seed) {
        byte[] id = new byte[32];
        for (int i = 0; i < id.length; i++) {
            id[i] = (byte) (seed * 31 + i * 7);
        }
        id[0] = (byte) seed;
        id[1] = (byte) (seed >>> 8);
        return id;
    }

    static List<String> keys(List<Entry> entries) {
        return entries.stream().map(Entry::key).toList();
    }

    static List<String> values(List<Entry> entries) {
        return entries.stream().map(entry -> text(entry.value())).toList();
    }

    static Entry entry(String key, String value) {
        return new Entry(key, bytes(value));
    }

    /** Returns the number of raw LMDB entries in {@code kv} whose key starts with {@code prefix}. */
    static int countRawEntries(LmdbStore store, byte[] prefix) {
        LmdbEnvironment environment = store.environment();
        return environment.read(txn -> countWithPrefix(environment, txn, prefix));
    }

    private static int countWithPrefix(LmdbEnvironment environment, Txn<ByteBuffer> txn, byte[] prefix) {
        int count = 0;
        try (Cursor<ByteBuffer> cursor = environment.kv().openCursor(txn)) {
            boolean onEntry = cursor.first();
            while (onEntry) {
                if (KeyLayout.startsWith(cursor.key(), prefix)) {
                    count++;
                }
                onEntry = cursor.next();
            }
        }
        return count;
    }

    /** Returns the raw LMDB key lengths under one object's user-data header, in key order. */
    static List<Integer> rawKeyLengths(LmdbStore store, int namespaceId, byte[] objectId) {
        byte[] header = KeyLayout.header(namespaceId, objectId, KeyLayout.KIND_USER_DATA);
        LmdbEnvironment environment = store.environment();
        return environment.read(txn -> {
            List<Integer> lengths = new ArrayList<>();
            try (Cursor<ByteBuffer> cursor = environment.kv().openCursor(txn)) {
                boolean onEntry = cursor.first();
                while (onEntry) {
                    if (KeyLayout.startsWith(cursor.key(), header)) {
                        lengths.add(cursor.key().remaining());
                    }
                    onEntry = cursor.next();
                }
            }
            return lengths;
        });
    }
}
