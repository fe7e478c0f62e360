package dev.mooring.host.storage;

import java.util.List;
import java.util.Objects;

/**
 * The writes one object made in one turn of its event loop, to be committed atomically: an
 * immutable value of namespace id, object id and ordered operations, plus the {@link ObjectStorage}
 * that produced it. A replicated backend can ship one batch as one log entry.
 *
 * <p>A batch contains at most one {@link Put} or {@link Delete} per key, because writes to the same key
 * within a turn are coalesced to the last one. A {@link DeleteAll}, if present, comes first: it
 * removes every stored user key of the object, and the operations after it are the turn's writes
 * made after the {@code deleteAll()} call. A {@link SetAlarm}, if present, comes last and carries
 * the turn's final alarm change.
 *
 * <p>Keys are UTF-8 bytes. The byte arrays inside operations are owned by the batch and must not be
 * modified.
 */
public final class WriteBatch {

    /** One write of a batch. */
    public sealed interface Operation permits Put, Delete, DeleteAll, SetAlarm {
    }

    /** Stores {@code value} under {@code key} (UTF-8 bytes). */
    public record Put(byte[] key, byte[] value) implements Operation {
        @Override
        public String toString() {
            return "Put[key=" + Utf8.decode(key) + ", value=" + value.length + " bytes]";
        }
    }

    /** Removes {@code key} (UTF-8 bytes) if present. */
    public record Delete(byte[] key) implements Operation {
        @Override
        public String toString() {
            return "Delete[key=" + Utf8.decode(key) + "]";
        }
    }

    /** Removes every stored user key of the object. */
    public record DeleteAll() implements Operation {
    }

    /**
     * Sets the object's alarm to {@code scheduledTime} (ms since the epoch), or deletes it when
     * that is null. {@code objectName} is the name of the object's ID, or null, so that the alarm
     * can make the object again with the same {@code ctx.id.name}. At most one per batch, last.
     */
    public record SetAlarm(Long scheduledTime, String objectName) implements Operation {
    }

    private final int namespaceId;
    private final byte[] objectId;
    private final long sequence;
    private final List<Operation> operations;
    private final ObjectStorage owner;
    private final long byteSize;

    WriteBatch(int namespaceId, byte[] objectId, long sequence, List<Operation> operations, ObjectStorage owner) {
        KeyLayout.checkObjectId(objectId);
        if (operations.isEmpty()) {
            throw new IllegalArgumentException("A write batch needs at least one operation");
        }
        this.namespaceId = namespaceId;
        this.objectId = objectId.clone();
        this.sequence = sequence;
        this.operations = List.copyOf(operations);
        this.owner = Objects.requireNonNull(owner, "owner");
        long bytes = 0;
        for (Operation operation : this.operations) {
            bytes += switch (operation) {
                case Put put -> put.key().length + put.value().length;
                case Delete delete -> delete.key().length;
                case DeleteAll deleteAll -> 0;
                case SetAlarm alarm -> Long.BYTES;
            };
        }
        this.byteSize = bytes;
    }

    public int namespaceId() {
        return namespaceId;
    }

    /** Returns a copy of the 32-byte object id. */
    public byte[] objectId() {
        return objectId.clone();
    }

    byte[] objectIdBytes() {
        return objectId;
    }

    /** Returns the object id as 64 lowercase hex digits. */
    public String objectIdHex() {
        return KeyLayout.hex(objectId);
    }

    /** Returns the batch's position among its owner's batches: 1 for the first, then increasing. */
    public long sequence() {
        return sequence;
    }

    public List<Operation> operations() {
        return operations;
    }

    public int operationCount() {
        return operations.size();
    }

    /** Returns the sum of key and value lengths of all operations, in bytes. */
    public long byteSize() {
        return byteSize;
    }

    public ObjectStorage owner() {
        return owner;
    }

    @Override
    public String toString() {
        return "WriteBatch[namespace=" + namespaceId + ", object=" + objectIdHex() + ", sequence=" + sequence
                + ", operations=" + operations.size() + "]";
    }
}
