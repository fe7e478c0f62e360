package dev.mooring.host.storage;

import java.nio.ByteBuffer;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/**
 * Applies writes to the {@code kv} database inside the commit writer's transaction, maintaining
 * buckets for long keys (see {@link KeyLayout}). Used only on the writer thread: it reuses one
 * key buffer.
 */
final class StoredWriter {

    private final Dbi<ByteBuffer> kv;
    private final ByteBuffer keyBuffer = ByteBuffer.allocateDirect(KeyLayout.MAX_LMDB_KEY_LENGTH);

    StoredWriter(Dbi<ByteBuffer> kv) {
        this.kv = kv;
    }

    /** Applies every operation of {@code batch}, in order. */
    void apply(Txn<ByteBuffer> txn, WriteBatch batch) {
        byte[] header = KeyLayout.header(batch.namespaceId(), batch.objectIdBytes(), KeyLayout.KIND_USER_DATA);
        for (WriteBatch.Operation operation : batch.operations()) {
            switch (operation) {
                case WriteBatch.Put put -> put(txn, header, put.key(), put.value());
                case WriteBatch.Delete delete -> delete(txn, header, delete.key());
                // NOTE: a deleteAll removes all of the object's entries in this one transaction, to
                // keep the batch atomic, so a very large object makes this commit slow.
                case WriteBatch.DeleteAll deleteAll -> deleteWithPrefix(txn, header, Long.MAX_VALUE);
            }
        }
    }

    void put(Txn<ByteBuffer> txn, byte[] header, byte[] userKey, byte[] value) {
        ByteBuffer entryKey = KeyLayout.writeEntryKey(keyBuffer, header, userKey);
        if (!KeyLayout.isBucketed(userKey.length)) {
            kv.reserve(txn, entryKey, value.length).put(value);
            return;
        }
        Bucket bucket = readBucket(txn, entryKey).with(KeyLayout.bucketSuffix(userKey), value);
        kv.reserve(txn, entryKey, bucket.encodedLength()).put(bucket.encode());
    }

    /** Deletes {@code userKey}; returns whether it existed. */
    boolean delete(Txn<ByteBuffer> txn, byte[] header, byte[] userKey) {
        ByteBuffer entryKey = KeyLayout.writeEntryKey(keyBuffer, header, userKey);
        if (!KeyLayout.isBucketed(userKey.length)) {
            return kv.delete(txn, entryKey);
        }
        Bucket before = readBucket(txn, entryKey);
        Bucket after = before.without(KeyLayout.bucketSuffix(userKey));
        if (after == before) {
            return false;
        }
        if (after.isEmpty()) {
            kv.delete(txn, entryKey);
        } else {
            kv.reserve(txn, entryKey, after.encodedLength()).put(after.encode());
        }
        return true;
    }

    /**
     * Deletes up to {@code maxEntries} LMDB entries whose key starts with {@code prefix}, in key
     * order. Returns the number deleted. Fewer than {@code maxEntries} means none are left.
     */
    long deleteWithPrefix(Txn<ByteBuffer> txn, byte[] prefix, long maxEntries) {
        long deleted = 0;
        try (Cursor<ByteBuffer> cursor = kv.openCursor(txn)) {
            boolean onEntry = cursor.get(KeyLayout.write(keyBuffer, prefix), GetOp.MDB_SET_RANGE);
            while (onEntry && deleted < maxEntries && KeyLayout.startsWith(cursor.key(), prefix)) {
                cursor.delete();
                deleted++;
                // After a delete LMDB leaves the cursor between entries, and MDB_NEXT moves it
                // onto the entry that followed the deleted one.
                onEntry = cursor.next();
            }
        }
        return deleted;
    }

    private Bucket readBucket(Txn<ByteBuffer> txn, ByteBuffer entryKey) {
        ByteBuffer existing = kv.get(txn, entryKey);
        // The returned buffer points into LMDB pages that the next write may move, so copy it now.
        return existing == null ? Bucket.EMPTY : Bucket.decode(KeyLayout.copy(existing));
    }
}
