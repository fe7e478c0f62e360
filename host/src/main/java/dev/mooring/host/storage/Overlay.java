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

    /** The latest alarm change that is not durable yet: a time, or null for a deletion. */
    record AlarmSlot(Long scheduledTime, long sequence) {
    }

    private AlarmSlot alarmSlot;
    /** Whether the current turn changed the alarm; {@link #alarmSlot} then contains the change. */
    private boolean turnChangesAlarm;
    private String alarmObjectName;

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

    /** Empties the object, and, as workerd does from compatibility date 2026-02-24, deletes its alarm. */
    void deleteAll() {
        slots.clear();
        turnWrites.clear();
        turnDeletesAll = true;
        storedHiddenBy = turnSequence;
        setAlarm(null, alarmObjectName);
    }

    /** Sets the alarm ({@code scheduledTime} not null) or deletes it, in the current turn. */
    void setAlarm(Long scheduledTime, String objectName) {
        alarmSlot = new AlarmSlot(scheduledTime, turnSequence);
        turnChangesAlarm = true;
        alarmObjectName = objectName;
    }

    /** Returns the alarm operation the current turn's batch will carry, or null when the turn leaves the alarm alone. */
    WriteBatch.SetAlarm turnAlarmChange() {
        return turnChangesAlarm ? new WriteBatch.SetAlarm(alarmSlot.scheduledTime(), alarmObjectName) : null;
    }

    /** Returns the latest alarm change that is not durable yet, or null when LMDB has the current alarm. */
    AlarmSlot alarmSlot() {
        return alarmSlot;
    }

    boolean hasTurnWrites() {
        return turnDeletesAll || !turnWrites.isEmpty() || turnChangesAlarm;
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
        WriteBatch.SetAlarm alarm = turnAlarmChange();
        if (alarm != null) {
            operations.add(alarm);
        }
        turnWrites.clear();
        turnDeletesAll = false;
        turnChangesAlarm = false;
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
                case WriteBatch.SetAlarm alarm -> null;
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
        if (alarmSlot != null && alarmSlot.sequence() == sequence) {
            alarmSlot = null;
        }
    }

    /** Returns the number of keys with uncommitted writes; for tests. */
    int size() {
        return slots.size();
    }
}
