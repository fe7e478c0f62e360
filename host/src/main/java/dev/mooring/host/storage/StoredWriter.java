package dev.mooring.host.storage;

import java.nio.ByteBuffer;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/**
 * Applies writes to the {@code kv} database inside the commit writer's transaction, maintaining
 * buckets for long keys (see {@link KeyLayout}) and each object's usage record (see {@link
 * StorageUsage}). Used only on the writer thread: it reuses one key buffer.
 */
final class StoredWriter {

    /** An object's usage before and after one batch, in bytes. */
    record UsageChange(long before, long after) {
        long delta() {
            return after - before;
        }
    }

    private final Dbi<ByteBuffer> kv;
    private final StorageUsage usage;
    private final AlarmRecords alarms;
    private final ByteBuffer keyBuffer = ByteBuffer.allocateDirect(KeyLayout.MAX_LMDB_KEY_LENGTH);

    StoredWriter(Dbi<ByteBuffer> kv, StorageUsage usage, AlarmRecords alarms) {
        this.kv = kv;
        this.usage = usage;
        this.alarms = alarms;
    }

    /** Applies every operation of {@code batch}, in order, and updates the object's usage record. */
    UsageChange apply(Txn<ByteBuffer> txn, WriteBatch batch) {
        byte[] header = KeyLayout.header(batch.namespaceId(), batch.objectIdBytes(), KeyLayout.KIND_USER_DATA);
        byte[] usageKey = StorageUsage.objectUsageKey(batch.namespaceId(), batch.objectIdBytes());
        long before = usage.readObjectUsage(txn, keyBuffer, usageKey);
        long bytes = before;
        for (WriteBatch.Operation operation : batch.operations()) {
            switch (operation) {
                case WriteBatch.Put put -> bytes += put(txn, header, put.key(), put.value());
                case WriteBatch.Delete delete -> bytes -= delete(txn, header, delete.key());
                // NOTE: a deleteAll removes all of the object's entries in this one transaction, to
                // keep the batch atomic, so a very large object makes this commit slow.
                case WriteBatch.DeleteAll deleteAll -> {
                    deleteWithPrefix(txn, header, Long.MAX_VALUE);
                    bytes = 0;
                }
                case WriteBatch.SetAlarm alarm -> alarms.write(txn, batch.namespaceId(), batch.objectIdBytes(),
                        alarm.scheduledTime(), alarm.objectName());
            }
        }
        if (bytes != before) {
            usage.writeObjectUsage(txn, usageKey, bytes);
        }
        return new UsageChange(before, bytes);
    }

    /** Stores {@code value} under {@code userKey}; returns how many bytes the object's usage grew by. */
    long put(Txn<ByteBuffer> txn, byte[] header, byte[] userKey, byte[] value) {
        ByteBuffer entryKey = KeyLayout.writeEntryKey(keyBuffer, header, userKey);
        long added = userKey.length + (long) value.length;
        if (!KeyLayout.isBucketed(userKey.length)) {
            ByteBuffer existing = kv.get(txn, entryKey);
            long replaced = existing == null ? 0 : userKey.length + (long) existing.remaining();
            kv.reserve(txn, entryKey, value.length).put(value);
            return added - replaced;
        }
        Bucket before = readBucket(txn, entryKey);
        byte[] existing = before.get(KeyLayout.bucketSuffix(userKey));
        Bucket bucket = before.with(KeyLayout.bucketSuffix(userKey), value);
        kv.reserve(txn, entryKey, bucket.encodedLength()).put(bucket.encode());
        return added - (existing == null ? 0 : userKey.length + (long) existing.length);
    }

    /** Deletes {@code userKey}; returns the bytes it took in the object's usage, 0 if it did not exist. */
    long delete(Txn<ByteBuffer> txn, byte[] header, byte[] userKey) {
        ByteBuffer entryKey = KeyLayout.writeEntryKey(keyBuffer, header, userKey);
        if (!KeyLayout.isBucketed(userKey.length)) {
            ByteBuffer existing = kv.get(txn, entryKey);
            if (existing == null) {
                return 0;
            }
            long removed = userKey.length + (long) existing.remaining();
            kv.delete(txn, entryKey);
            return removed;
        }
        Bucket before = readBucket(txn, entryKey);
        byte[] existing = before.get(KeyLayout.bucketSuffix(userKey));
        if (existing == null) {
            return 0;
        }
        Bucket after = before.without(KeyLayout.bucketSuffix(userKey));
        if (after.isEmpty()) {
            kv.delete(txn, entryKey);
        } else {
            kv.reserve(txn, entryKey, after.encodedLength()).put(after.encode());
        }
        return userKey.length + (long) existing.length;
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
