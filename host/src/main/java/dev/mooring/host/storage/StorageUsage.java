package dev.mooring.host.storage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/**
 * How many bytes each object and each namespace stores, kept in LMDB next to the data so that a
 * quota check never has to scan. An object's usage is the sum, over its {@code state.storage}
 * keys, of the key's UTF-8 length plus the stored value's length.
 *
 * <h2>Records</h2>
 * <pre>
 *   kv:   [namespace id][object id][kind 1]      → the object's usage, 8 bytes big-endian; absent means 0
 *   meta: usage/namespace/{id, 4 bytes}          → the namespace's usage, the sum over its objects
 *   meta: usage/format                           → 1, written once every object had its record
 * </pre>
 * The commit writer updates the records in the same transaction as the data they count, so they
 * stay exact across crashes. A store written before these records existed gets them from one scan
 * at open ({@link #rebuild}).
 *
 * <h2>Threads</h2>
 * The transaction methods run on the commit writer thread, except {@link #readObjectUsage}, which
 * any thread may call inside a read transaction. {@link #committedNamespaceBytes} may be called
 * from any thread: it reads totals that the writer publishes after each commit.
 */
final class StorageUsage {

    private static final byte[] NAMESPACE_PREFIX = "usage/namespace/".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FORMAT_KEY = "usage/format".getBytes(StandardCharsets.US_ASCII);
    private static final byte FORMAT = 1;

    private final Dbi<ByteBuffer> kv;
    private final Dbi<ByteBuffer> meta;
    /** Committed usage by namespace id; an absent id stores nothing. */
    private final ConcurrentHashMap<Integer, AtomicLong> committedByNamespace = new ConcurrentHashMap<>();

    // Buffers for the writer thread only.
    private final ByteBuffer writerKey = ByteBuffer.allocateDirect(KeyLayout.MAX_LMDB_KEY_LENGTH);
    private final ByteBuffer writerValue = ByteBuffer.allocateDirect(Long.BYTES);

    StorageUsage(Dbi<ByteBuffer> kv, Dbi<ByteBuffer> meta) {
        this.kv = kv;
        this.meta = meta;
    }

    /** Returns the LMDB key of an object's usage record. */
    static byte[] objectUsageKey(int namespaceId, byte[] objectId) {
        return KeyLayout.header(namespaceId, objectId, KeyLayout.KIND_USAGE);
    }

    /** Returns the bytes a stored entry of user data adds to its object's usage. */
    static long userBytesOfEntry(int userKeyLength, ByteBuffer value) {
        if (KeyLayout.isBucketed(userKeyLength)) {
            return Bucket.userBytes(value, KeyLayout.BUCKET_PREFIX_LENGTH);
        }
        return userKeyLength + (long) value.remaining();
    }

    // ---- Reads, any thread ----

    /** Returns an object's committed usage; {@code keyBuffer} is a direct buffer the caller owns. */
    long readObjectUsage(Txn<ByteBuffer> txn, ByteBuffer keyBuffer, byte[] usageKey) {
        ByteBuffer found = kv.get(txn, KeyLayout.write(keyBuffer, usageKey));
        return found == null ? 0 : readLong(found);
    }

    /** Returns the usage of a namespace as of the last commit; 0 for one that stores nothing. */
    long committedNamespaceBytes(int namespaceId) {
        AtomicLong bytes = committedByNamespace.get(namespaceId);
        return bytes == null ? 0 : bytes.get();
    }

    boolean hasRecords(Txn<ByteBuffer> txn) {
        return meta.get(txn, KeyLayout.write(ByteBuffer.allocateDirect(FORMAT_KEY.length), FORMAT_KEY)) != null;
    }

    /** Loads the committed namespace totals; call once at open, before any batch is committed. */
    void loadNamespaceTotals(Txn<ByteBuffer> txn) {
        try (Cursor<ByteBuffer> cursor = meta.openCursor(txn)) {
            ByteBuffer seek = KeyLayout.write(ByteBuffer.allocateDirect(NAMESPACE_PREFIX.length), NAMESPACE_PREFIX);
            boolean onEntry = cursor.get(seek, GetOp.MDB_SET_RANGE);
            while (onEntry && KeyLayout.startsWith(cursor.key(), NAMESPACE_PREFIX)) {
                byte[] key = KeyLayout.copy(cursor.key());
                int id = ByteBuffer.wrap(key, NAMESPACE_PREFIX.length, Integer.BYTES).getInt();
                committedByNamespace.put(id, new AtomicLong(readLong(cursor.val())));
                onEntry = cursor.next();
            }
        }
    }

    // ---- Writes, commit writer thread ----

    /** Sets an object's usage record; a usage of 0 removes it. */
    void writeObjectUsage(Txn<ByteBuffer> txn, byte[] usageKey, long bytes) {
        ByteBuffer key = KeyLayout.write(writerKey, usageKey);
        if (bytes == 0) {
            kv.delete(txn, key);
        } else {
            kv.put(txn, key, longValue(bytes));
        }
    }

    /** Adds {@code delta} to the namespace records of a transaction; publish them with {@link #publish} after it commits. */
    void addNamespaceUsage(Txn<ByteBuffer> txn, Map<Integer, Long> deltas) {
        for (Map.Entry<Integer, Long> delta : deltas.entrySet()) {
            if (delta.getValue() == 0) {
                continue;
            }
            ByteBuffer key = KeyLayout.write(writerKey, namespaceKey(delta.getKey()));
            ByteBuffer found = meta.get(txn, key);
            long bytes = (found == null ? 0 : readLong(found)) + delta.getValue();
            meta.put(txn, key, longValue(bytes));
        }
    }

    /** Makes committed namespace deltas visible to {@link #committedNamespaceBytes}. */
    void publish(Map<Integer, Long> deltas) {
        deltas.forEach((namespaceId, delta) -> {
            if (delta != 0) {
                committedByNamespace.computeIfAbsent(namespaceId, id -> new AtomicLong()).addAndGet(delta);
            }
        });
    }

    /** Removes the record of a namespace whose data is being deleted. */
    void forgetNamespace(Txn<ByteBuffer> txn, int namespaceId) {
        meta.delete(txn, KeyLayout.write(writerKey, namespaceKey(namespaceId)));
    }

    /** Drops the published total of a namespace once its removal committed. */
    void forgetNamespace(int namespaceId) {
        committedByNamespace.remove(namespaceId);
    }

    /**
     * Scans every object's user data and writes the usage records, then marks the store as having
     * them. Namespaces in {@code deleting} are skipped: their data is on its way out. Repeatable,
     * as system tasks must be, because each attempt starts from the same committed state. Returns
     * the number of objects that store anything.
     */
    int rebuild(Txn<ByteBuffer> txn, Set<Integer> deleting) {
        List<byte[]> objectHeaders = new ArrayList<>();
        List<Long> objectBytes = new ArrayList<>();
        Map<Integer, Long> namespaceBytes = new HashMap<>();
        try (Cursor<ByteBuffer> cursor = kv.openCursor(txn)) {
            byte[] current = null;
            long currentBytes = 0;
            boolean onEntry = cursor.first();
            while (onEntry) {
                ByteBuffer key = cursor.key();
                if (key.remaining() >= KeyLayout.HEADER_LENGTH
                        && key.get(key.position() + KeyLayout.HEADER_LENGTH - 1) == KeyLayout.KIND_USER_DATA
                        && !deleting.contains(namespaceIdOf(key))) {
                    byte[] header = new byte[KeyLayout.HEADER_LENGTH];
                    key.get(key.position(), header);
                    long bytes = userBytesOfEntry(key.remaining() - KeyLayout.HEADER_LENGTH, cursor.val());
                    if (current != null && Arrays.equals(current, header)) {
                        currentBytes += bytes;
                    } else {
                        if (current != null) {
                            objectHeaders.add(current);
                            objectBytes.add(currentBytes);
                        }
                        current = header;
                        currentBytes = bytes;
                    }
                }
                onEntry = cursor.next();
            }
            if (current != null) {
                objectHeaders.add(current);
                objectBytes.add(currentBytes);
            }
        }

        for (int i = 0; i < objectHeaders.size(); i++) {
            byte[] usageKey = objectHeaders.get(i).clone();
            usageKey[KeyLayout.HEADER_LENGTH - 1] = KeyLayout.KIND_USAGE;
            writeObjectUsage(txn, usageKey, objectBytes.get(i));
            int namespaceId = ByteBuffer.wrap(usageKey, 0, Integer.BYTES).getInt();
            namespaceBytes.merge(namespaceId, objectBytes.get(i), Long::sum);
        }
        for (Map.Entry<Integer, Long> namespace : namespaceBytes.entrySet()) {
            meta.put(txn, KeyLayout.write(writerKey, namespaceKey(namespace.getKey())), longValue(namespace.getValue()));
        }
        meta.put(txn, KeyLayout.write(writerKey, FORMAT_KEY), KeyLayout.write(writerValue, new byte[] {FORMAT}));
        return objectHeaders.size();
    }

    private static int namespaceIdOf(ByteBuffer key) {
        int at = key.position();
        return (key.get(at) & 0xFF) << 24 | (key.get(at + 1) & 0xFF) << 16 | (key.get(at + 2) & 0xFF) << 8 | (key.get(at + 3) & 0xFF);
    }

    private static byte[] namespaceKey(int namespaceId) {
        byte[] key = Arrays.copyOf(NAMESPACE_PREFIX, NAMESPACE_PREFIX.length + Integer.BYTES);
        ByteBuffer.wrap(key, NAMESPACE_PREFIX.length, Integer.BYTES).putInt(namespaceId);
        return key;
    }

    private ByteBuffer longValue(long value) {
        return KeyLayout.write(writerValue, ByteBuffer.allocate(Long.BYTES).putLong(value).array());
    }

    /** Reads a big-endian long, whatever byte order lmdbjava gave the buffer. */
    private static long readLong(ByteBuffer buffer) {
        long value = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            value = value << 8 | (buffer.get(buffer.position() + i) & 0xFF);
        }
        return value;
    }
}
