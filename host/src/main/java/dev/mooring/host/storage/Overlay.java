package dev.mooring.host.storage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The writes of one object that LMDB does not hold durably yet: those of the current turn and
 * those of batches submitted to the commit writer whose commit has not completed. Reads merge this
 * overlay over the stored data, which gives read-your-writes across the whole commit pipeline.
 *
 * <p>Each slot remembers the sequence number of the batch (turn) that last wrote it. When batch
 * {@code s} becomes durable, LMDB contains its writes, so slots last written by {@code s} are
 * dropped. Slots overwritten by a later turn stay. A {@code deleteAll()} empties the overlay and hides all
 * stored keys until the batch that carries it is durable.
 *
 * <p>Confined to the owning object's thread, like {@link ObjectStorage}.
 */
final class Overlay {

    /** The latest uncommitted write of one key: a value, or null for a deletion. */
    record Slot(byte[] value, long sequence) {
        boolean isDeletion() {
            return value == null;
        }
    }

    /** A byte-array key with content equality, for hash maps. */
    private record HashKey(byte[] bytes) {
        @Override
        public boolean equals(Object other) {
            return other instanceof HashKey that && Arrays.equals(bytes, that.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }

    private final TreeMap<byte[], Slot> slots = new TreeMap<>(Arrays::compareUnsigned);

    /** The current turn's writes per key in order of each key's latest write; null = deletion. */
    private final LinkedHashMap<HashKey, byte[]> turnWrites = new LinkedHashMap<>();
    private boolean turnDeletesAll;
    private long turnSequence = 1;

    /** The sequence of the newest batch with a deleteAll that is not durable yet, or 0. */
    private long storedHiddenBy;

    Slot slot(byte[] key) {
        return slots.get(key);
    }

    /** Returns whether a pending deleteAll hides every stored key. */
    boolean hidesStored() {
        return storedHiddenBy != 0;
    }

    /** Returns the slots in {@code range}, in ascending or descending key order. */
    NavigableMap<byte[], Slot> slotsIn(ListOptions.ByteRange range, boolean reverse) {
        NavigableMap<byte[], Slot> inRange = range.high() == null
                ? slots.tailMap(range.low(), true)
                : slots.subMap(range.low(), true, range.high(), false);
        return reverse ? inRange.descendingMap() : inRange;
    }

    void put(byte[] key, byte[] value) {
        record(key, value);
    }

    void delete(byte[] key) {
        record(key, null);
    }

    private void record(byte[] key, byte[] value) {
        slots.put(key, new Slot(value, turnSequence));
        HashKey hashKey = new HashKey(key);
        turnWrites.remove(hashKey);
        turnWrites.put(hashKey, value);
    }

    void deleteAll() {
        slots.clear();
        turnWrites.clear();
        turnDeletesAll = true;
        storedHiddenBy = turnSequence;
    }

    boolean hasTurnWrites() {
        return turnDeletesAll || !turnWrites.isEmpty();
    }

    /** Returns the sequence number the current turn's batch will carry. */
    long turnSequence() {
        return turnSequence;
    }

    /**
     * Ends the current turn: returns its coalesced operations, in order, and starts the next turn.
     * The turn's slots stay until {@link #batchDurable} is called for its batch.
     */
    List<WriteBatch.Operation> closeTurn() {
        List<WriteBatch.Operation> operations = new ArrayList<>(turnWrites.size() + 1);
        if (turnDeletesAll) {
            operations.add(new WriteBatch.DeleteAll());
        }
        for (Map.Entry<HashKey, byte[]> write : turnWrites.entrySet()) {
            byte[] key = write.getKey().bytes();
            operations.add(write.getValue() == null
                    ? new WriteBatch.Delete(key)
                    : new WriteBatch.Put(key, write.getValue()));
        }
        turnWrites.clear();
        turnDeletesAll = false;
        turnSequence++;
        return operations;
    }

    /** Drops what {@code batch} wrote, now that LMDB contains it, except keys written again later. */
    void batchDurable(WriteBatch batch) {
        long sequence = batch.sequence();
        for (WriteBatch.Operation operation : batch.operations()) {
            byte[] key = switch (operation) {
                case WriteBatch.Put put -> put.key();
                case WriteBatch.Delete delete -> delete.key();
                case WriteBatch.DeleteAll deleteAll -> null;
            };
            if (key != null) {
                Slot slot = slots.get(key);
                if (slot != null && slot.sequence() == sequence) {
                    slots.remove(key);
                }
            }
        }
        if (storedHiddenBy != 0 && storedHiddenBy <= sequence) {
            storedHiddenBy = 0;
        }
    }

    /** Returns the number of keys with uncommitted writes; for tests. */
    int size() {
        return slots.size();
    }
}
