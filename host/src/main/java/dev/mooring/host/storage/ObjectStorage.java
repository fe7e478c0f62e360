package dev.mooring.host.storage;

import dev.mooring.host.logging.ObjectLabels;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.lmdbjava.Txn;

/**
 * The storage of one live Durable Object: synchronous reads and writes of opaque byte values under
 * string keys, for {@code state.storage}.
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>Keys are stored as UTF-8 (unpaired surrogates become U+FFFD) and ordered by their bytes,
 *       unsigned, as Durable Objects order them. A key may be up to {@value #MAX_KEY_BYTES} bytes.
 *   <li>Writes take effect at once for this object's own reads (read-your-writes) and go to an
 *       in-memory overlay. {@link #commitPending} closes the current turn's writes into one
 *       {@link WriteBatch} and hands it to the store's {@link CommitWriter}. Until that batch is
 *       durable, reads still see it through the overlay.
 *   <li>Each call reads from one LMDB snapshot merged with the overlay, so a multi-key call or a
 *       list is consistent in itself.
 *   <li>A failed commit breaks this object: every later call throws IllegalStateException naming
 *       the object, and the owner must discard this instance and reset the object.
 *   <li>With a {@link StorageQuota} that is enforced, a write that would store more than a quota
 *       allows throws {@link StorageQuotaExceededException} and changes nothing. To know what a
 *       write adds, this storage keeps the object's stored bytes, starting from the usage record
 *       on its first write and adding each write's difference, which costs one read of the old
 *       value per written key.
 * </ul>
 *
 * <h2>Threads</h2>
 * An instance is confined to its object's event-loop thread: no method may be called from two
 * threads at once, and nothing inside is locked. The one field other threads touch is the broken
 * marker, which the commit writer sets when a batch fails, and the committed usage, which it sets
 * after each commit. The futures from {@link #commitPending}
 * complete on the executor passed to it, which must run tasks on the owning thread, because
 * completing a commit updates the overlay.
 *
 * <p>The owner creates at most one instance per object at a time (the store does not check).
 */
public final class ObjectStorage {

    /**
     * The maximum key length in UTF-8 bytes, the Durable Objects limit of the KV backend.
     *
     * <p>NOTE: workerd's SQLite-backed classes accept longer keys (key plus value up to 2 MB).
     * This store applies the 2048-byte limit to every class.
     */
    public static final int MAX_KEY_BYTES = KeyLayout.MAX_USER_KEY_LENGTH;

    private final LmdbEnvironment environment;
    private final CommitWriter writer;
    private final StorageUsage usage;
    private final AlarmRecords alarms;
    private final StorageQuota quota;
    private final int namespaceId;
    private final byte[] objectId;
    private final byte[] header;
    private final byte[] usageKey;
    private final Overlay overlay = new Overlay();

    /**
     * The key that {@link #get(String)} last read or that a single put or delete last wrote, with the
     * bytes it takes in LMDB once the object's submitted writes have committed (-1 for none). A put
     * of that key then needs no LMDB read to learn the size it replaces, which covers the usual
     * read-modify-write and a key rewritten turn after turn. While the overlay has a slot for the
     * key, the slot takes precedence. Writes of several keys at once clear it. Owner thread only.
     */
    private byte[] knownKey;
    private long knownUsage;
    private final ByteBuffer keyBuffer = ByteBuffer.allocateDirect(KeyLayout.MAX_LMDB_KEY_LENGTH);
    private CompletableFuture<Void> lastCommit = CompletableFuture.completedFuture(null);

    /** Bytes the object stores, its uncommitted writes included; -1 until the first write that tracks it. */
    private long storedBytes = -1;

    /**
     * Bytes the object stores as of its last durable batch, -1 until known. The commit writer
     * thread sets it after each batch; the first count of {@link #storedBytes} sets it if still unknown.
     */
    private final AtomicLong committedBytes = new AtomicLong(-1);

    /** The failure that broke this object, set by the commit writer thread; null while usable. */
    private volatile Throwable brokenBy;

    ObjectStorage(LmdbEnvironment environment, CommitWriter writer, StorageUsage usage, AlarmRecords alarms, int namespaceId,
            byte[] objectId, StorageQuota quota) {
        KeyLayout.checkObjectId(objectId);
        this.environment = environment;
        this.writer = writer;
        this.usage = usage;
        this.alarms = alarms;
        this.quota = Objects.requireNonNull(quota, "quota");
        this.namespaceId = namespaceId;
        this.objectId = objectId.clone();
        this.header = KeyLayout.header(namespaceId, this.objectId, KeyLayout.KIND_USER_DATA);
        this.usageKey = StorageUsage.objectUsageKey(namespaceId, this.objectId);
    }

    public int namespaceId() {
        return namespaceId;
    }

    /** Returns the object id as 64 lowercase hex digits. */
    public String objectIdHex() {
        return KeyLayout.hex(objectId);
    }

    // ---- Reads ----

    /** Returns the value stored under {@code key}, or null if there is none. */
    public byte[] get(String key) {
        checkUsable();
        byte[] keyBytes = encodeKey(key);
        Overlay.Slot slot = overlay.slot(keyBytes);
        if (slot != null) {
            return slot.isDeletion() ? null : slot.value().clone();
        }
        if (overlay.hidesStored()) {
            return null;
        }
        byte[] value = environment.read(txn -> StoredReader.get(txn, environment.kv(), keyBuffer, header, keyBytes));
        remember(keyBytes, value == null ? -1 : keyBytes.length + (long) value.length);
        return value;
    }

    /**
     * Returns the entries of the given keys that exist, sorted by key in UTF-8 byte order. Missing
     * keys are left out, and a key given twice appears once.
     */
    public List<Entry> get(List<String> keys) {
        checkUsable();
        TreeMap<byte[], byte[]> found = new TreeMap<>(Arrays::compareUnsigned);
        List<byte[]> toRead = new ArrayList<>();
        for (String key : keys) {
            byte[] keyBytes = encodeKey(key);
            Overlay.Slot slot = overlay.slot(keyBytes);
            if (slot != null) {
                if (!slot.isDeletion()) {
                    found.put(keyBytes, slot.value().clone());
                }
            } else if (!overlay.hidesStored()) {
                toRead.add(keyBytes);
            }
        }
        if (!toRead.isEmpty()) {
            environment.read(txn -> {
                for (byte[] keyBytes : toRead) {
                    byte[] value = StoredReader.get(txn, environment.kv(), keyBuffer, header, keyBytes);
                    if (value != null) {
                        found.put(keyBytes, value);
                    }
                }
                return null;
            });
        }
        return toEntries(found);
    }

    /**
     * Returns the entries selected by {@code options} (see {@link ListOptions}), in ascending key
     * order, or descending with {@code reverse}.
     */
    public List<Entry> list(ListOptions options) {
        checkUsable();
        Objects.requireNonNull(options, "options");
        ListOptions.ByteRange range = options.byteRange();
        if (range == null) {
            return List.of();
        }
        int limit = options.limit() == 0 ? Integer.MAX_VALUE : options.limit();
        NavigableMap<byte[], Overlay.Slot> pending = overlay.slotsIn(range, options.reverse());
        if (overlay.hidesStored()) {
            return merge(null, pending, options.reverse(), limit);
        }
        return environment.read(txn -> {
            try (StoredReader.Range stored = new StoredReader.Range(txn, environment.kv(), keyBuffer, header, range,
                    options.reverse())) {
                return merge(stored, pending, options.reverse(), limit);
            }
        });
    }

    /** Merges stored entries (null for none) with the overlay's slots; the overlay wins on equal keys. */
    private static List<Entry> merge(StoredReader.Range stored, NavigableMap<byte[], Overlay.Slot> pending,
            boolean reverse, int limit) {
        List<Entry> result = new ArrayList<>();
        Iterator<Map.Entry<byte[], Overlay.Slot>> slots = pending.entrySet().iterator();
        Map.Entry<byte[], Overlay.Slot> slot = slots.hasNext() ? slots.next() : null;
        StoredReader.KeyValue storedEntry = stored == null ? null : stored.peek();

        while (result.size() < limit && (slot != null || storedEntry != null)) {
            int order;
            if (slot == null) {
                order = -1;
            } else if (storedEntry == null) {
                order = 1;
            } else {
                order = Arrays.compareUnsigned(storedEntry.key(), slot.getKey());
                if (reverse) {
                    order = -order;
                }
            }

            if (order < 0) {
                result.add(new Entry(Utf8.decode(storedEntry.key()), storedEntry.value()));
                stored.next();
                storedEntry = stored.peek();
                continue;
            }
            if (order == 0) {
                stored.next();
                storedEntry = stored.peek();
            }
            if (!slot.getValue().isDeletion()) {
                result.add(new Entry(Utf8.decode(slot.getKey()), slot.getValue().value().clone()));
            }
            slot = slots.hasNext() ? slots.next() : null;
        }
        return result;
    }

    // ---- Writes ----

    /**
     * Stores {@code value} under {@code key}.
     *
     * @throws StorageQuotaExceededException when the write would break a quota; nothing is written
     */
    public void put(String key, byte[] value) {
        checkUsable();
        byte[] keyBytes = encodeKey(key);
        Objects.requireNonNull(value, "value");
        if (quota.isEnforced()) {
            long replaced = Math.max(0, usageOf(List.of(keyBytes)).get(keyBytes));
            reserve(keyBytes.length + (long) value.length - replaced);
        }
        overlay.put(keyBytes, value.clone());
        remember(keyBytes, keyBytes.length + (long) value.length);
    }

    /**
     * Stores every entry, in order; for a key given twice the later value wins.
     *
     * @throws StorageQuotaExceededException when the writes together would break a quota; none is written
     */
    public void put(List<Entry> entries) {
        checkUsable();
        List<byte[]> keys = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
            keys.add(encodeKey(entry.key()));
        }
        if (quota.isEnforced()) {
            TreeMap<byte[], Long> sizes = usageOf(keys);
            long delta = 0;
            for (int i = 0; i < keys.size(); i++) {
                long written = keys.get(i).length + (long) entries.get(i).value().length;
                delta += written - Math.max(0, sizes.put(keys.get(i), written));
            }
            reserve(delta);
        }
        for (int i = 0; i < keys.size(); i++) {
            overlay.put(keys.get(i), entries.get(i).value().clone());
        }
        knownKey = null;
    }

    /** Deletes {@code key}; returns whether it existed, counting this object's uncommitted writes. */
    public boolean delete(String key) {
        checkUsable();
        byte[] keyBytes = encodeKey(key);
        long removed = usageOf(List.of(keyBytes)).get(keyBytes);
        if (quota.isEnforced() && removed >= 0) {
            reserve(-removed);
        }
        overlay.delete(keyBytes);
        remember(keyBytes, -1);
        return removed >= 0;
    }

    /**
     * Deletes every key given, in order, and returns how many of them existed. A key given twice
     * counts at most once, because the first deletion hides it from the second.
     */
    public int delete(List<String> keys) {
        checkUsable();
        List<byte[]> encoded = new ArrayList<>(keys.size());
        for (String key : keys) {
            encoded.add(encodeKey(key));
        }
        TreeMap<byte[], Long> sizes = usageOf(encoded);

        int deleted = 0;
        long removed = 0;
        for (byte[] keyBytes : encoded) {
            long size = sizes.put(keyBytes, -1L);
            if (size >= 0) {
                deleted++;
                removed += size;
            }
        }
        if (quota.isEnforced()) {
            reserve(-removed);
        }
        for (byte[] keyBytes : encoded) {
            overlay.delete(keyBytes);
        }
        knownKey = null;
        return deleted;
    }

    /**
     * Deletes every key of this object. Until the batch carrying it is durable, no stored key is
     * visible. Writes made after this call in the same turn are kept.
     */
    public void deleteAll() {
        checkUsable();
        if (quota.isEnforced()) {
            reserve(-storedBytes());
        }
        overlay.deleteAll();
        knownKey = null;
    }

    // ---- Alarm ----

    /** Returns the object's alarm in ms since the epoch, its uncommitted change included, or null. */
    public Long getAlarm() {
        checkUsable();
        Overlay.AlarmSlot pending = overlay.alarmSlot();
        if (pending != null) {
            return pending.scheduledTime();
        }
        return environment.read(txn -> alarms.read(txn, keyBuffer, namespaceId, objectId));
    }

    /**
     * Sets the object's alarm, or deletes it when {@code scheduledTime} is null, in the current
     * turn's batch. {@code objectName} is the name of the object's ID, or null.
     */
    public void setAlarm(Long scheduledTime, String objectName) {
        checkUsable();
        overlay.setAlarm(scheduledTime, objectName);
    }

    /**
     * Returns the alarm change the current turn will commit, whose time is null for a deletion, or
     * null when the turn leaves the alarm alone.
     */
    public WriteBatch.SetAlarm turnAlarmChange() {
        checkUsable();
        return overlay.turnAlarmChange();
    }

    // ---- Usage ----

    /**
     * Returns the bytes this object stores (UTF-8 keys plus values), its uncommitted writes
     * included. The first call reads the object's usage record; later calls cost nothing while the
     * quota is enforced, because every write updates the count.
     */
    public long storedBytes() {
        checkUsable();
        if (storedBytes < 0 || !quota.isEnforced()) {
            storedBytes = environment.read(this::countStoredBytes);
        }
        return storedBytes;
    }

    /**
     * Counts the stored bytes from the usage record and the overlay, in one snapshot: each pending
     * write adds its own size and takes away the size of what the snapshot stores under its key.
     * A write whose batch has committed but whose slot is still in the overlay adds nothing, since
     * the snapshot already stores it and the record counts it.
     */
    private long countStoredBytes(Txn<ByteBuffer> txn) {
        long recorded = usage.readObjectUsage(txn, keyBuffer, usageKey);
        committedBytes.compareAndSet(-1, recorded);
        boolean hidden = overlay.hidesStored();
        long total = hidden ? 0 : recorded;
        for (Map.Entry<byte[], Overlay.Slot> pending : overlay.slotsIn(ListOptions.all().byteRange(), false).entrySet()) {
            byte[] key = pending.getKey();
            Overlay.Slot slot = pending.getValue();
            total += slot.isDeletion() ? 0 : key.length + (long) slot.value().length;
            if (!hidden) {
                total -= Math.max(0, StoredReader.usageOf(txn, environment.kv(), keyBuffer, header, key));
            }
        }
        return total;
    }

    /** Applies a write's change of stored bytes after checking it against the quotas. */
    private void reserve(long delta) {
        long before = storedBytes();
        quota.check(before, committedBytes.get(), delta);
        storedBytes = before + delta;
    }

    /**
     * Returns, for each key, the bytes it and its value take now (uncommitted writes included), or
     * -1 where no value is stored. Reads every key that the overlay does not contain in one transaction.
     */
    private TreeMap<byte[], Long> usageOf(List<byte[]> keys) {
        TreeMap<byte[], Long> sizes = new TreeMap<>(Arrays::compareUnsigned);
        List<byte[]> toRead = new ArrayList<>();
        for (byte[] keyBytes : keys) {
            Overlay.Slot slot = overlay.slot(keyBytes);
            if (slot != null) {
                sizes.put(keyBytes, slot.isDeletion() ? -1 : keyBytes.length + (long) slot.value().length);
            } else if (overlay.hidesStored()) {
                sizes.put(keyBytes, -1L);
            } else if (Arrays.equals(keyBytes, knownKey)) {
                sizes.put(keyBytes, knownUsage);
            } else {
                toRead.add(keyBytes);
            }
        }
        if (!toRead.isEmpty()) {
            environment.read(txn -> {
                for (byte[] keyBytes : toRead) {
                    sizes.put(keyBytes, StoredReader.usageOf(txn, environment.kv(), keyBuffer, header, keyBytes));
                }
                return null;
            });
        }
        return sizes;
    }

    private void remember(byte[] key, long usage) {
        knownKey = key;
        knownUsage = usage;
    }

    /** Records the object's usage after one of its batches committed; called by the commit writer thread. */
    void batchCommitted(long usageAfter) {
        committedBytes.set(usageAfter);
    }

    // ---- Commits ----

    /** Returns whether the current turn has writes that {@link #commitPending} has not taken yet. */
    public boolean hasPendingWrites() {
        checkUsable();
        return overlay.hasTurnWrites();
    }

    /**
     * Submits the current turn's writes as one batch and returns a future that completes on
     * {@code ownerLoop} once the batch is durable. Writes of the same key within the turn are
     * coalesced (a put followed by a delete becomes a delete).
     *
     * <p>With no pending writes, returns the future of the previous batch (complete once it is
     * durable, on the executor given with it) or a completed future, so the result always means
     * "every write so far is durable".
     *
     * <p>If the commit fails, the future completes exceptionally with a
     * {@link CommitFailedException}, and this storage is broken.
     */
    public CompletableFuture<Void> commitPending(Executor ownerLoop) {
        checkUsable();
        Objects.requireNonNull(ownerLoop, "ownerLoop");
        if (!overlay.hasTurnWrites()) {
            return lastCommit;
        }
        // NOTE: nothing bounds the batches in flight or the overlay's size. workerd delays put()
        // when too much unflushed data builds up; here the caller has to apply backpressure.
        long sequence = overlay.turnSequence();
        WriteBatch batch = new WriteBatch(namespaceId, objectId, sequence, overlay.closeTurn(), this);

        CompletableFuture<Void> done = new CompletableFuture<>();
        writer.submit(batch).whenCompleteAsync((ignored, failure) -> {
            if (failure == null) {
                overlay.batchDurable(batch);
                done.complete(null);
            } else {
                done.completeExceptionally(failure);
            }
        }, ownerLoop).exceptionally(rejected -> {
            // ownerLoop refused the task (it is shutting down), so report that instead of hanging.
            done.completeExceptionally(rejected);
            return null;
        });
        lastCommit = done;
        return done;
    }

    // ---- State ----

    /** Returns whether a failed commit has broken this storage. Safe to call from any thread. */
    public boolean isBroken() {
        return brokenBy != null;
    }

    Throwable brokenBy() {
        return brokenBy;
    }

    /** Marks this storage broken; called by the commit writer thread. The first failure is kept. */
    void markBroken(Throwable failure) {
        if (brokenBy == null) {
            brokenBy = failure;
        }
    }

    /** Returns the number of keys with writes that are not durable yet; for tests. */
    int overlaySize() {
        return overlay.size();
    }

    private void checkUsable() {
        Throwable failure = brokenBy;
        if (failure != null) {
            throw new IllegalStateException("Storage of object " + ObjectLabels.shortId(objectIdHex()) + " in namespace "
                    + namespaceId + " is broken because a commit failed; discard it and reset the object", failure);
        }
        if (environment.isClosed()) {
            throw new IllegalStateException("Storage of object " + ObjectLabels.shortId(objectIdHex()) + " in namespace "
                    + namespaceId + " cannot be used: the LMDB store at " + environment.directory() + " is closed");
        }
    }

    private static byte[] encodeKey(String key) {
        Objects.requireNonNull(key, "key");
        byte[] bytes = Utf8.encode(key);
        if (bytes.length > MAX_KEY_BYTES) {
            throw new IllegalArgumentException("Key of " + bytes.length + " UTF-8 bytes exceeds the maximum of "
                    + MAX_KEY_BYTES + " bytes; use a shorter key");
        }
        return bytes;
    }

    private static List<Entry> toEntries(TreeMap<byte[], byte[]> found) {
        List<Entry> entries = new ArrayList<>(found.size());
        for (Map.Entry<byte[], byte[]> entry : found.entrySet()) {
            entries.add(new Entry(Utf8.decode(entry.getKey()), entry.getValue()));
        }
        return entries;
    }
}
