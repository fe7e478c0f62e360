package dev.mooring.host.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/**
 * The namespace records in the {@code meta} database. A namespace's unique key (for example a
 * script name plus a class name) maps to a small integer id that prefixes all of its data, so a
 * rename moves only this mapping and never the data.
 *
 * <p>Records, with ids as 4 bytes big-endian:
 * <pre>
 *   namespace/by-key/{unique key, UTF-8}  → id
 *   namespace/by-id/{id}                  → unique key
 *   namespace/deleting/{id}               → former unique key, while its data is being deleted
 *   namespace/next-id                     → the next id to allocate (ids are never reused)
 * </pre>
 * Methods that write run on the commit writer thread. Reads may run on any thread inside a read
 * transaction.
 */
final class NamespaceRegistry {

    private static final byte[] BY_KEY = ascii("namespace/by-key/");
    private static final byte[] BY_ID = ascii("namespace/by-id/");
    private static final byte[] DELETING = ascii("namespace/deleting/");
    private static final byte[] NEXT_ID = ascii("namespace/next-id");

    /** The maximum unique key length in UTF-8 bytes, so that the by-key record fits an LMDB key. */
    static final int MAX_UNIQUE_KEY_LENGTH = KeyLayout.MAX_LMDB_KEY_LENGTH - BY_KEY.length;

    private final Dbi<ByteBuffer> meta;

    NamespaceRegistry(Dbi<ByteBuffer> meta) {
        this.meta = meta;
    }

    /**
     * Checks that {@code uniqueKey} can name a namespace and returns its UTF-8 bytes.
     *
     * @throws IllegalArgumentException if it is empty or longer than {@link #MAX_UNIQUE_KEY_LENGTH} bytes
     */
    static byte[] checkUniqueKey(String uniqueKey) {
        if (uniqueKey == null || uniqueKey.isEmpty()) {
            throw new IllegalArgumentException("A namespace unique key must be a non-empty string, got "
                    + (uniqueKey == null ? "null" : "an empty string"));
        }
        byte[] bytes = Utf8.encode(uniqueKey);
        if (bytes.length > MAX_UNIQUE_KEY_LENGTH) {
            throw new IllegalArgumentException("Namespace unique key of " + bytes.length + " UTF-8 bytes exceeds "
                    + MAX_UNIQUE_KEY_LENGTH + " bytes: " + uniqueKey.substring(0, Math.min(40, uniqueKey.length())) + "...");
        }
        return bytes;
    }

    /** Returns the id of {@code uniqueKey}, or null if it has none. */
    Integer find(Txn<ByteBuffer> txn, String uniqueKey) {
        ByteBuffer found = meta.get(txn, direct(concat(BY_KEY, checkUniqueKey(uniqueKey))));
        return found == null ? null : readInt(found, found.position());
    }

    /** Returns the id of {@code uniqueKey}, allocating and storing a new one if it has none. */
    int findOrAllocate(Txn<ByteBuffer> txn, String uniqueKey) {
        Integer existing = find(txn, uniqueKey);
        if (existing != null) {
            return existing;
        }
        ByteBuffer next = meta.get(txn, direct(NEXT_ID));
        int id = next == null ? 1 : readInt(next, next.position());
        if (id == Integer.MAX_VALUE) {
            throw new IllegalStateException("All " + Integer.MAX_VALUE + " namespace ids are used; ids are never reused");
        }
        meta.put(txn, direct(NEXT_ID), direct(intBytes(id + 1)));
        link(txn, id, checkUniqueKey(uniqueKey));
        return id;
    }

    /**
     * Points {@code newKey} at the id of {@code oldKey} and removes {@code oldKey}. Returns the id.
     *
     * @throws IllegalArgumentException if {@code oldKey} has no id or {@code newKey} already has one
     */
    int rename(Txn<ByteBuffer> txn, String oldKey, String newKey) {
        Integer id = find(txn, oldKey);
        if (id == null) {
            throw new IllegalArgumentException("Cannot rename namespace " + oldKey + ": it does not exist");
        }
        Integer existingId = find(txn, newKey);
        if (existingId != null) {
            throw new IllegalArgumentException("Cannot rename namespace " + oldKey + " to " + newKey
                    + ": that key already names namespace id " + existingId + "; delete it first");
        }
        meta.delete(txn, direct(concat(BY_KEY, checkUniqueKey(oldKey))));
        link(txn, id, checkUniqueKey(newKey));
        return id;
    }

    /**
     * Removes {@code uniqueKey}'s mapping and records its id as being deleted, so that an
     * interrupted deletion can resume after a restart. Returns the id, or null if there is none.
     */
    Integer markDeleting(Txn<ByteBuffer> txn, String uniqueKey) {
        Integer id = find(txn, uniqueKey);
        if (id == null) {
            return null;
        }
        byte[] keyBytes = checkUniqueKey(uniqueKey);
        meta.delete(txn, direct(concat(BY_KEY, keyBytes)));
        meta.delete(txn, direct(concat(BY_ID, intBytes(id))));
        meta.put(txn, direct(concat(DELETING, intBytes(id))), direct(keyBytes));
        return id;
    }

    /** Removes the deletion record of {@code id} once all of its data is gone. */
    void finishDeleting(Txn<ByteBuffer> txn, int id) {
        meta.delete(txn, direct(concat(DELETING, intBytes(id))));
    }

    /** Returns the unique key of every namespace, in byte order. */
    List<String> uniqueKeys(Txn<ByteBuffer> txn) {
        List<String> keys = new ArrayList<>();
        try (Cursor<ByteBuffer> cursor = meta.openCursor(txn)) {
            boolean onEntry = cursor.get(direct(BY_KEY), GetOp.MDB_SET_RANGE);
            while (onEntry && KeyLayout.startsWith(cursor.key(), BY_KEY)) {
                ByteBuffer key = cursor.key().duplicate();
                key.position(key.position() + BY_KEY.length);
                keys.add(StandardCharsets.UTF_8.decode(key).toString());
                onEntry = cursor.next();
            }
        }
        return keys;
    }

    /** Returns the ids whose deletion was started and not finished. */
    List<Integer> pendingDeletions(Txn<ByteBuffer> txn) {
        List<Integer> ids = new ArrayList<>();
        try (Cursor<ByteBuffer> cursor = meta.openCursor(txn)) {
            boolean onEntry = cursor.get(direct(DELETING), GetOp.MDB_SET_RANGE);
            while (onEntry && KeyLayout.startsWith(cursor.key(), DELETING)) {
                ByteBuffer key = cursor.key();
                ids.add(readInt(key, key.position() + DELETING.length));
                onEntry = cursor.next();
            }
        }
        return ids;
    }

    private void link(Txn<ByteBuffer> txn, int id, byte[] keyBytes) {
        meta.put(txn, direct(concat(BY_KEY, keyBytes)), direct(intBytes(id)));
        meta.put(txn, direct(concat(BY_ID, intBytes(id))), direct(keyBytes));
    }

    /** Reads a big-endian int at {@code offset}, whatever byte order lmdbjava gave the buffer. */
    private static int readInt(ByteBuffer buffer, int offset) {
        return (buffer.get(offset) & 0xFF) << 24 | (buffer.get(offset + 1) & 0xFF) << 16
                | (buffer.get(offset + 2) & 0xFF) << 8 | (buffer.get(offset + 3) & 0xFF);
    }

    private static byte[] intBytes(int value) {
        return ByteBuffer.allocate(4).putInt(value).array();
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] result = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, result, first.length, second.length);
        return result;
    }

    private static ByteBuffer direct(byte[] bytes) {
        return ByteBuffer.allocateDirect(Math.max(bytes.length, 1)).put(bytes).flip();
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
