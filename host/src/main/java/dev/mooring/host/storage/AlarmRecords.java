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
 * The alarm of each object, in the {@code meta} database, outside every key that {@code list()}
 * can reach:
 * <pre>
 *   alarm/{namespace id: 4 bytes}{object id: 32 bytes} → {scheduled time: 8 bytes, ms since the epoch}{object name, UTF-8}
 * </pre>
 * The name is empty for IDs not made from a name. Keeping all alarms under one prefix, ordered by
 * namespace, lets a starting script find its objects' alarms without reading their data.
 *
 * <p>Writes run on the commit writer thread, inside the transaction of the batch that sets or
 * deletes the alarm. Reads may run on any thread inside a read transaction.
 */
final class AlarmRecords {

    private static final byte[] PREFIX = "alarm/".getBytes(StandardCharsets.US_ASCII);
    private static final int KEY_LENGTH = PREFIX.length + KeyLayout.NAMESPACE_ID_LENGTH + KeyLayout.OBJECT_ID_LENGTH;

    private final Dbi<ByteBuffer> meta;
    /** Used only on the writer thread. */
    private final ByteBuffer keyBuffer = ByteBuffer.allocateDirect(KEY_LENGTH);

    AlarmRecords(Dbi<ByteBuffer> meta) {
        this.meta = meta;
    }

    /** Returns the object's scheduled time, or null when it has no alarm. */
    Long read(Txn<ByteBuffer> txn, ByteBuffer readKeyBuffer, int namespaceId, byte[] objectId) {
        ByteBuffer found = meta.get(txn, writeKey(readKeyBuffer, namespaceId, objectId));
        return found == null ? null : found.getLong(found.position());
    }

    /** Sets ({@code scheduledTime} not null) or deletes the object's alarm. Writer thread only. */
    void write(Txn<ByteBuffer> txn, int namespaceId, byte[] objectId, Long scheduledTime, String objectName) {
        ByteBuffer key = writeKey(keyBuffer, namespaceId, objectId);
        if (scheduledTime == null) {
            meta.delete(txn, key);
            return;
        }
        byte[] name = objectName == null ? new byte[0] : objectName.getBytes(StandardCharsets.UTF_8);
        meta.reserve(txn, key, Long.BYTES + name.length).putLong(scheduledTime).put(name);
    }

    /** Deletes the object's alarm if it is still due at {@code scheduledTime}; returns whether it did. Writer thread only. */
    boolean deleteIfAt(Txn<ByteBuffer> txn, int namespaceId, byte[] objectId, long scheduledTime) {
        ByteBuffer key = writeKey(keyBuffer, namespaceId, objectId);
        ByteBuffer found = meta.get(txn, key);
        if (found == null || found.getLong(found.position()) != scheduledTime) {
            return false;
        }
        meta.delete(txn, key);
        return true;
    }

    /** Returns every alarm of a namespace, in object id order. */
    List<StoredAlarm> ofNamespace(Txn<ByteBuffer> txn, int namespaceId) {
        byte[] prefix = namespacePrefix(namespaceId);
        List<StoredAlarm> alarms = new ArrayList<>();
        try (Cursor<ByteBuffer> cursor = meta.openCursor(txn)) {
            boolean onEntry = cursor.get(KeyLayout.write(ByteBuffer.allocateDirect(prefix.length), prefix), GetOp.MDB_SET_RANGE);
            while (onEntry && KeyLayout.startsWith(cursor.key(), prefix)) {
                byte[] key = KeyLayout.copy(cursor.key());
                byte[] value = KeyLayout.copy(cursor.val());
                byte[] objectId = Arrays.copyOfRange(key, prefix.length, KEY_LENGTH);
                long scheduledTime = ByteBuffer.wrap(value).getLong();
                String name = value.length == Long.BYTES ? null
                        : new String(value, Long.BYTES, value.length - Long.BYTES, StandardCharsets.UTF_8);
                alarms.add(new StoredAlarm(objectId, scheduledTime, name));
                onEntry = cursor.next();
            }
        }
        return alarms;
    }

    /** Deletes every alarm of a namespace; returns how many. Writer thread only. */
    long deleteNamespace(Txn<ByteBuffer> txn, int namespaceId) {
        byte[] prefix = namespacePrefix(namespaceId);
        long deleted = 0;
        try (Cursor<ByteBuffer> cursor = meta.openCursor(txn)) {
            boolean onEntry = cursor.get(KeyLayout.write(keyBuffer, prefix), GetOp.MDB_SET_RANGE);
            while (onEntry && KeyLayout.startsWith(cursor.key(), prefix)) {
                cursor.delete();
                deleted++;
                onEntry = cursor.next();
            }
        }
        return deleted;
    }

    private static byte[] namespacePrefix(int namespaceId) {
        byte[] prefix = Arrays.copyOf(PREFIX, PREFIX.length + KeyLayout.NAMESPACE_ID_LENGTH);
        ByteBuffer.wrap(prefix, PREFIX.length, KeyLayout.NAMESPACE_ID_LENGTH).putInt(namespaceId);
        return prefix;
    }

    private static ByteBuffer writeKey(ByteBuffer target, int namespaceId, byte[] objectId) {
        target.clear();
        target.put(PREFIX).putInt(namespaceId).put(objectId).flip();
        return target;
    }
}
