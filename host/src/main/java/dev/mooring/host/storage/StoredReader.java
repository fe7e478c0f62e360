package dev.mooring.host.storage;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;

/**
 * Reads one object's user entries from the {@code kv} database inside a caller's transaction,
 * expanding buckets (see {@link KeyLayout}). Every key and value it returns is a heap copy, so
 * nothing it returns points into the LMDB map after the transaction ends.
 */
final class StoredReader {

    /** A user key (UTF-8) and its value, both owned by the caller. */
    record KeyValue(byte[] key, byte[] value) {
    }

    private StoredReader() {
    }

    /** Returns the value stored under {@code userKey}, or null. */
    static byte[] get(Txn<ByteBuffer> txn, Dbi<ByteBuffer> kv, ByteBuffer keyBuffer, byte[] header, byte[] userKey) {
        ByteBuffer found = kv.get(txn, KeyLayout.writeEntryKey(keyBuffer, header, userKey));
        if (found == null) {
            return null;
        }
        if (!KeyLayout.isBucketed(userKey.length)) {
            return KeyLayout.copy(found);
        }
        return Bucket.decode(KeyLayout.copy(found)).get(KeyLayout.bucketSuffix(userKey));
    }

    /**
     * Returns the bytes that {@code userKey} and its stored value take in the object's usage (see
     * {@link StorageUsage}), or -1 if no value is stored under it. Copies only a bucket's pairs.
     */
    static long usageOf(Txn<ByteBuffer> txn, Dbi<ByteBuffer> kv, ByteBuffer keyBuffer, byte[] header, byte[] userKey) {
        ByteBuffer found = kv.get(txn, KeyLayout.writeEntryKey(keyBuffer, header, userKey));
        if (found == null) {
            return -1;
        }
        if (!KeyLayout.isBucketed(userKey.length)) {
            return userKey.length + (long) found.remaining();
        }
        byte[] value = Bucket.decode(KeyLayout.copy(found)).get(KeyLayout.bucketSuffix(userKey));
        return value == null ? -1 : userKey.length + (long) value.length;
    }

    /**
     * An ordered walk over the stored user keys of one object within a {@link ListOptions.ByteRange},
     * ascending or descending. It keeps an LMDB cursor open, so close it before the transaction ends.
     */
    static final class Range implements AutoCloseable {

        private final Cursor<ByteBuffer> cursor;
        private final byte[] header;
        private final ListOptions.ByteRange range;
        private final boolean reverse;
        private final ArrayDeque<KeyValue> ready = new ArrayDeque<>();
        private boolean onEntry;
        private boolean exhausted;

        Range(Txn<ByteBuffer> txn, Dbi<ByteBuffer> kv, ByteBuffer keyBuffer, byte[] header,
                ListOptions.ByteRange range, boolean reverse) {
            this.header = header;
            this.range = range;
            this.reverse = reverse;
            this.cursor = kv.openCursor(txn);
            try {
                position(keyBuffer);
            } catch (RuntimeException e) {
                cursor.close();
                throw e;
            }
        }

        /**
         * Places the cursor on the first entry to expand. Ascending, that is the first entry at or
         * above the truncated low bound. Descending, it is the entry at the truncated high bound if
         * there is one (a bucket there may hold keys below the bound), else the entry before.
         */
        private void position(ByteBuffer keyBuffer) {
            if (!reverse) {
                onEntry = cursor.get(KeyLayout.writeEntryKey(keyBuffer, header, range.low()), GetOp.MDB_SET_RANGE);
                return;
            }
            boolean found;
            if (range.high() == null) {
                byte[] nextKind = header.clone();
                nextKind[nextKind.length - 1]++;
                found = cursor.get(KeyLayout.write(keyBuffer, nextKind), GetOp.MDB_SET_RANGE);
            } else {
                found = cursor.get(KeyLayout.writeEntryKey(keyBuffer, header, range.high()), GetOp.MDB_SET_RANGE);
            }
            if (!found) {
                onEntry = cursor.last();
            } else if (!KeyLayout.startsWith(cursor.key(), header)) {
                onEntry = cursor.prev();
            } else {
                onEntry = true;
            }
        }

        /** Returns the next key and value without consuming it, or null at the end. */
        KeyValue peek() {
            while (ready.isEmpty() && !exhausted) {
                expandCurrentEntry();
            }
            return ready.peekFirst();
        }

        /** Returns and consumes the next key and value, or null at the end. */
        KeyValue next() {
            KeyValue next = peek();
            if (next != null) {
                ready.removeFirst();
            }
            return next;
        }

        private void expandCurrentEntry() {
            if (!onEntry || !KeyLayout.startsWith(cursor.key(), header)) {
                exhausted = true;
                return;
            }
            byte[] entryKey = KeyLayout.copy(cursor.key());
            byte[] userPart = Arrays.copyOfRange(entryKey, header.length, entryKey.length);
            byte[] value = KeyLayout.copy(cursor.val());

            if (userPart.length == KeyLayout.BUCKET_PREFIX_LENGTH) {
                Bucket bucket = Bucket.decode(value);
                int size = bucket.size();
                for (int n = 0; n < size && !exhausted; n++) {
                    int index = reverse ? size - 1 - n : n;
                    offer(concat(userPart, bucket.suffix(index)), bucket.value(index));
                }
            } else {
                offer(userPart, value);
            }
            onEntry = reverse ? cursor.prev() : cursor.next();
        }

        /** Queues one key if it lies in the range, and ends the walk once keys leave the range. */
        private void offer(byte[] key, byte[] value) {
            boolean belowLow = Arrays.compareUnsigned(key, range.low()) < 0;
            boolean atOrAboveHigh = range.high() != null && Arrays.compareUnsigned(key, range.high()) >= 0;
            if (reverse ? belowLow : atOrAboveHigh) {
                exhausted = true;
            } else if (!belowLow && !atOrAboveHigh) {
                ready.addLast(new KeyValue(key, value));
            }
        }

        private static byte[] concat(byte[] first, byte[] second) {
            byte[] result = Arrays.copyOf(first, first.length + second.length);
            System.arraycopy(second, 0, result, first.length, second.length);
            return result;
        }

        @Override
        public void close() {
            cursor.close();
        }
    }
}
