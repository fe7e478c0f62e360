package dev.mooring.host.storage;

import dev.mooring.host.config.Values;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Durable Object storage of one host: one LMDB environment in a directory, its commit writer,
 * and the namespace registry. Hands out an {@link ObjectStorage} per live object.
 *
 * <p>What it guarantees: every write batch is durable (fsynced) before its future completes. One
 * writer thread commits all batches with group commit. The map grows on demand while no read
 * transaction is live. After {@link #close} no transaction is open and the writer thread has
 * exited. Only one process at a time uses a store's directory: the store locks a file there
 * ({@value #LOCK_FILE}), and a second host on the same directory fails to open it instead of
 * running a second instance of the same objects. What it does not do: it does not check that only
 * one {@link ObjectStorage} exists per object, and it does not stop objects of a namespace that is
 * being renamed or deleted. The object directory above it owns both rules.
 *
 * <p>All methods are thread-safe. {@link #namespaceId}, {@link #renameNamespace} and
 * {@link #close} block, so call them from a thread that may block, never from the commit writer.
 */
public final class LmdbStore implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LmdbStore.class);

    /** The file in a store's directory that the owning process locks and writes its PID to. */
    public static final String LOCK_FILE = "mooring.lock";

    /** LMDB's data file in a store's directory. */
    private static final String DATA_FILE = "data.mdb";

    /** Directories with an open store in this process: LMDB forbids opening one environment twice. */
    private static final Set<Path> OPEN_DIRECTORIES = ConcurrentHashMap.newKeySet();

    /**
     * Store settings. Use {@link #defaults()} and the {@code with...} methods.
     *
     * @param initialMapSizeBytes the LMDB map size to open with, in bytes. Default 8 GiB. It costs
     *     virtual address space only, because the data file grows with the data. Rounded up to 64 KiB. On
     *     reopen LMDB maps at least the size of the existing file.
     * @param mapGrowthFactor the factor by which the map grows when it is full. Default 2.0. It
     *     must be greater than 1.
     * @param maxMapSizeBytes the size beyond which the map never grows, in bytes. Default 1 TiB.
     *     Writes fail with {@link CommitFailedException} once it is reached.
     * @param maxReaders the size of LMDB's reader table: the maximum number of read transactions
     *     open at once across all threads. Default 1024. Reads are short, so this bounds the
     *     number of threads reading concurrently.
     * @param maxOperationsPerCommit the number of operations after which the writer stops adding
     *     batches to a write transaction. Default 1000. Bounds commit latency, but a single larger
     *     batch is still committed whole. Also the chunk size of namespace deletion.
     * @param maxBytesPerCommit the sum of key and value bytes after which the writer stops adding
     *     batches to a write transaction. Default 4 MiB.
     * @param commitFaultInjector for tests: batches for which it returns true fail to apply, as if
     *     LMDB had rejected them. Null (the default) for none. It runs on the writer thread, and
     *     may run more than once per batch when a transaction is replayed.
     */
    public record Options(
            long initialMapSizeBytes,
            double mapGrowthFactor,
            long maxMapSizeBytes,
            int maxReaders,
            int maxOperationsPerCommit,
            long maxBytesPerCommit,
            Predicate<WriteBatch> commitFaultInjector) {

        public static final long DEFAULT_INITIAL_MAP_SIZE_BYTES = 8L << 30;
        public static final double DEFAULT_MAP_GROWTH_FACTOR = 2.0;
        public static final long DEFAULT_MAX_MAP_SIZE_BYTES = 1L << 40;
        public static final int DEFAULT_MAX_READERS = 1024;
        public static final int DEFAULT_MAX_OPERATIONS_PER_COMMIT = 1000;
        public static final long DEFAULT_MAX_BYTES_PER_COMMIT = 4L << 20;

        /** The smallest accepted map size: LMDB needs a few pages for its meta pages and roots. */
        public static final long MIN_MAP_SIZE_BYTES = 64 * 1024;

        public Options {
            if (initialMapSizeBytes < MIN_MAP_SIZE_BYTES) {
                throw new IllegalArgumentException("initialMapSizeBytes must be at least " + MIN_MAP_SIZE_BYTES
                        + ", got " + initialMapSizeBytes);
            }
            if (!(mapGrowthFactor > 1.0) || Double.isInfinite(mapGrowthFactor)) {
                throw new IllegalArgumentException("mapGrowthFactor must be a finite number greater than 1, got "
                        + mapGrowthFactor);
            }
            if (maxMapSizeBytes < initialMapSizeBytes) {
                throw new IllegalArgumentException("maxMapSizeBytes (" + maxMapSizeBytes
                        + ") must be at least initialMapSizeBytes (" + initialMapSizeBytes + ")");
            }
            if (maxReaders < 1) {
                throw new IllegalArgumentException("maxReaders must be at least 1, got " + maxReaders);
            }
            if (maxOperationsPerCommit < 1) {
                throw new IllegalArgumentException("maxOperationsPerCommit must be at least 1, got "
                        + maxOperationsPerCommit);
            }
            if (maxBytesPerCommit < 1) {
                throw new IllegalArgumentException("maxBytesPerCommit must be at least 1, got " + maxBytesPerCommit);
            }
        }

        public static Options defaults() {
            return new Options(DEFAULT_INITIAL_MAP_SIZE_BYTES, DEFAULT_MAP_GROWTH_FACTOR, DEFAULT_MAX_MAP_SIZE_BYTES,
                    DEFAULT_MAX_READERS, DEFAULT_MAX_OPERATIONS_PER_COMMIT, DEFAULT_MAX_BYTES_PER_COMMIT, null);
        }

        public Options withInitialMapSizeBytes(long bytes) {
            return new Options(bytes, mapGrowthFactor, Math.max(maxMapSizeBytes, bytes), maxReaders,
                    maxOperationsPerCommit, maxBytesPerCommit, commitFaultInjector);
        }

        public Options withMapGrowthFactor(double factor) {
            return new Options(initialMapSizeBytes, factor, maxMapSizeBytes, maxReaders, maxOperationsPerCommit,
                    maxBytesPerCommit, commitFaultInjector);
        }

        public Options withMaxMapSizeBytes(long bytes) {
            return new Options(initialMapSizeBytes, mapGrowthFactor, bytes, maxReaders, maxOperationsPerCommit,
                    maxBytesPerCommit, commitFaultInjector);
        }

        public Options withMaxReaders(int readers) {
            return new Options(initialMapSizeBytes, mapGrowthFactor, maxMapSizeBytes, readers, maxOperationsPerCommit,
                    maxBytesPerCommit, commitFaultInjector);
        }

        public Options withMaxOperationsPerCommit(int operations) {
            return new Options(initialMapSizeBytes, mapGrowthFactor, maxMapSizeBytes, maxReaders, operations,
                    maxBytesPerCommit, commitFaultInjector);
        }

        public Options withMaxBytesPerCommit(long bytes) {
            return new Options(initialMapSizeBytes, mapGrowthFactor, maxMapSizeBytes, maxReaders,
                    maxOperationsPerCommit, bytes, commitFaultInjector);
        }

        public Options withCommitFaultInjector(Predicate<WriteBatch> injector) {
            return new Options(initialMapSizeBytes, mapGrowthFactor, maxMapSizeBytes, maxReaders,
                    maxOperationsPerCommit, maxBytesPerCommit, injector);
        }

        /**
         * Describes the options for the log, with sizes as the size options read them. The commit
         * fault injector appears only when a test installed one.
         */
        @Override
        public String toString() {
            String description = "initial map " + Values.formatBytes(initialMapSizeBytes) + ", map growth factor " + mapGrowthFactor
                    + ", max map " + Values.formatBytes(maxMapSizeBytes) + ", max readers " + maxReaders + ", at most "
                    + Values.formatCount(maxOperationsPerCommit, "operation") + " and " + Values.formatBytes(maxBytesPerCommit)
                    + " per commit";
            return commitFaultInjector == null ? description : description + ", commit fault injector installed";
        }
    }

    private final Path directory;
    private final Options options;
    private final LmdbEnvironment environment;
    private final FileChannel directoryLock;
    private final NamespaceRegistry namespaces;
    private final StorageUsage usage;
    private final StoredWriter storedWriter;
    private final AlarmRecords alarms;
    private final CommitWriter writer;
    private final ConcurrentHashMap<String, Integer> namespaceIds = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile CompletableFuture<Void> resumedDeletions = CompletableFuture.completedFuture(null);

    private LmdbStore(Path directory, Options options, LmdbEnvironment environment, FileChannel directoryLock) {
        this.directory = directory;
        this.options = options;
        this.environment = environment;
        this.directoryLock = directoryLock;
        this.namespaces = new NamespaceRegistry(environment.meta());
        this.usage = new StorageUsage(environment.kv(), environment.meta());
        // Used only on the writer thread: by the writer for batches, and by deletion system tasks.
        this.alarms = new AlarmRecords(environment.meta());
        this.storedWriter = new StoredWriter(environment.kv(), usage, alarms);
        this.writer = new CommitWriter(environment, storedWriter, usage, options);
    }

    /**
     * Opens (creating if needed) the store in {@code directory} and starts its commit writer.
     *
     * @throws IllegalStateException if this process already has a store open in that directory
     */
    public static LmdbStore open(Path directory, Options options) throws IOException {
        Objects.requireNonNull(options, "options");
        Files.createDirectories(directory);
        Path canonical = directory.toRealPath();
        if (!OPEN_DIRECTORIES.add(canonical)) {
            throw new IllegalStateException("An LMDB store is already open in " + canonical
                    + "; share that instance instead of opening the directory twice");
        }
        FileChannel lock;
        LmdbEnvironment environment;
        try {
            lock = lockDirectory(canonical);
        } catch (IOException | RuntimeException e) {
            OPEN_DIRECTORIES.remove(canonical);
            throw e;
        }
        try {
            log.debug("Opening LMDB store {} with {}", canonical, options);
            environment = LmdbEnvironment.open(canonical, options);
        } catch (RuntimeException e) {
            closeQuietly(lock, canonical);
            OPEN_DIRECTORIES.remove(canonical);
            throw e;
        }
        LmdbStore store = new LmdbStore(canonical, options, environment, lock);
        try {
            store.writer.start();
            store.prepareUsage();
            store.resumeNamespaceDeletions();
            store.logOpened();
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    public Path directory() {
        return directory;
    }

    public Options options() {
        return options;
    }

    // ---- Namespaces ----

    /**
     * Returns the id of the namespace with this unique key, allocating and durably storing a new
     * id on first use. Ids are small positive integers, stable across restarts, and never reused.
     * Blocks while a new id is committed.
     */
    public int namespaceId(String uniqueKey) {
        NamespaceRegistry.checkUniqueKey(uniqueKey);
        Integer cached = namespaceIds.get(uniqueKey);
        if (cached != null) {
            return cached;
        }
        Integer stored = environment.read(txn -> namespaces.find(txn, uniqueKey));
        int id = stored != null ? stored : await(writer.submitSystemTask("allocate a namespace id for " + uniqueKey,
                txn -> namespaces.findOrAllocate(txn, uniqueKey)));
        namespaceIds.put(uniqueKey, id);
        return id;
    }

    /** Returns the unique key of every namespace that exists, in byte order. Any thread. */
    public List<String> namespaceKeys() {
        return environment.read(namespaces::uniqueKeys);
    }

    /**
     * Makes {@code newKey} name the namespace that {@code oldKey} named, keeping its id and so all
     * of its data, and removes the mapping of {@code oldKey}. Blocks until the change is durable. No object of
     * either namespace may be live meanwhile.
     *
     * @throws IllegalArgumentException if {@code oldKey} does not exist or {@code newKey} does
     */
    public void renameNamespace(String oldKey, String newKey) {
        NamespaceRegistry.checkUniqueKey(oldKey);
        NamespaceRegistry.checkUniqueKey(newKey);
        if (oldKey.equals(newKey)) {
            throw new IllegalArgumentException("Cannot rename namespace " + oldKey + " to itself");
        }
        int id = await(writer.submitSystemTask("rename namespace " + oldKey + " to " + newKey,
                txn -> namespaces.rename(txn, oldKey, newKey)));
        namespaceIds.remove(oldKey);
        namespaceIds.put(newKey, id);
        log.info("Renamed namespace {} (id {}) to {}", oldKey, id, newKey);
    }

    /**
     * Deletes the namespace's key mapping and then all of its data, in transactions of at most
     * {@link Options#maxOperationsPerCommit} entries, so other writes interleave. The mapping goes
     * first and a record of the pending deletion stays until the last chunk, so a deletion cut off
     * by a crash resumes at the next open. A later {@link #namespaceId} call for the same key
     * allocates a new id. No object of the namespace may be live meanwhile.
     *
     * @return a future of the number of LMDB entries deleted (a bucket of long keys counts once),
     *     0 if the namespace did not exist
     */
    public CompletableFuture<Long> deleteNamespace(String uniqueKey) {
        NamespaceRegistry.checkUniqueKey(uniqueKey);
        return writer.submitSystemTask("mark namespace " + uniqueKey + " for deletion", txn -> {
                    Integer id = namespaces.markDeleting(txn, uniqueKey);
                    if (id != null) {
                        usage.forgetNamespace(txn, id);
                    }
                    return id;
                })
                .thenCompose(id -> {
                    namespaceIds.remove(uniqueKey);
                    if (id == null) {
                        return CompletableFuture.completedFuture(0L);
                    }
                    usage.forgetNamespace(id);
                    log.info("Deleting the data of namespace {} (id {})", uniqueKey, id);
                    return deleteNamespaceData(id);
                });
    }

    private CompletableFuture<Long> deleteNamespaceData(int id) {
        CompletableFuture<Long> total = new CompletableFuture<>();
        deleteNextChunk(id, 0, total);
        return total.whenComplete((deleted, failure) -> {
            if (failure == null) {
                log.info("Deleted namespace id {}: {} entries", id, deleted);
            } else {
                log.error("Deleting the data of namespace id {} failed; it resumes at the next open", id, failure);
            }
        });
    }

    private void deleteNextChunk(int id, long deletedSoFar, CompletableFuture<Long> total) {
        byte[] prefix = KeyLayout.namespacePrefix(id);
        int chunk = options.maxOperationsPerCommit();
        writer.submitSystemTask("delete the data of namespace id " + id, txn -> {
            long deleted = storedWriter.deleteWithPrefix(txn, prefix, chunk);
            if (deleted < chunk) {
                alarms.deleteNamespace(txn, id);
                namespaces.finishDeleting(txn, id);
            }
            return deleted;
        }).whenComplete((deleted, failure) -> {
            if (failure != null) {
                total.completeExceptionally(failure);
            } else if (deleted < chunk) {
                total.complete(deletedSoFar + deleted);
            } else {
                deleteNextChunk(id, deletedSoFar + deleted, total);
            }
        });
    }

    /**
     * Makes sure every object has its usage record, building them with one scan for a store
     * written before they existed, and loads the namespace totals. Runs before any batch.
     */
    private void prepareUsage() {
        if (!environment.read(usage::hasRecords)) {
            long started = System.nanoTime();
            int objects = await(writer.submitSystemTask("build the storage usage records",
                    txn -> usage.rebuild(txn, Set.copyOf(namespaces.pendingDeletions(txn)))));
            // A new store builds empty records, so only a scan over existing objects gets an INFO line.
            String message = "Built the storage usage records of {} in {} in {} ms";
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (objects > 0) {
                log.info(message, Values.formatCount(objects, "object"), directory, millis);
            } else {
                log.debug(message, Values.formatCount(objects, "object"), directory, millis);
            }
        }
        environment.read(txn -> {
            usage.loadNamespaceTotals(txn);
            return null;
        });
    }

    /**
     * Logs the one INFO line of an open: the folder, the size of its data file and the map. The
     * options and the steps of the open are logged at DEBUG.
     */
    private void logOpened() {
        long dataFileBytes;
        try {
            dataFileBytes = Files.size(directory.resolve(DATA_FILE));
        } catch (IOException e) {
            log.debug("Reading the size of {} failed", directory.resolve(DATA_FILE), e);
            dataFileBytes = -1;
        }
        int namespaceCount = environment.read(namespaces::uniqueKeys).size();
        log.info("Opened LMDB store {}: data file {}, {}, map {} (grows up to {})", directory,
                dataFileBytes < 0 ? "of unknown size" : Values.formatBytesRounded(dataFileBytes),
                Values.formatCount(namespaceCount, "namespace"), Values.formatBytes(environment.mapSize()),
                Values.formatBytes(options.maxMapSizeBytes()));
    }

    private void resumeNamespaceDeletions() {
        List<Integer> pending = environment.read(namespaces::pendingDeletions);
        CompletableFuture<?>[] deletions = new CompletableFuture<?>[pending.size()];
        for (int i = 0; i < pending.size(); i++) {
            log.info("Resuming the interrupted deletion of namespace id {}", pending.get(i));
            deletions[i] = deleteNamespaceData(pending.get(i));
        }
        resumedDeletions = CompletableFuture.allOf(deletions);
    }

    // ---- Objects ----

    /**
     * Returns a new storage view of one object, without quotas. Create at most one per object at
     * a time, and use it only from the object's event-loop thread.
     */
    public ObjectStorage objectStorage(int namespaceId, byte[] objectId) {
        return objectStorage(namespaceId, objectId, StorageQuota.UNLIMITED);
    }

    /**
     * Returns a new storage view of one object whose writes are checked against {@code quota}.
     * Create at most one per object at a time, and use it only from the object's event-loop thread.
     */
    public ObjectStorage objectStorage(int namespaceId, byte[] objectId, StorageQuota quota) {
        if (namespaceId < 1) {
            throw new IllegalArgumentException("Namespace id must be positive (from namespaceId()), got " + namespaceId);
        }
        checkOpen();
        return new ObjectStorage(environment, writer, usage, alarms, namespaceId, objectId, quota);
    }

    /** Returns the alarms of a namespace's objects, for a script that starts and schedules them. */
    public List<StoredAlarm> alarmsOf(int namespaceId) {
        checkOpen();
        return environment.read(txn -> alarms.ofNamespace(txn, namespaceId));
    }

    /**
     * Deletes an object's alarm if it is still due at {@code scheduledTime}, in a transaction of its
     * own, and completes the future with whether it did. This is for an alarm given up after its
     * retries, whose object may not be in memory. An alarm the object set again meanwhile stays.
     */
    public CompletableFuture<Boolean> deleteAlarmIfAt(int namespaceId, byte[] objectId, long scheduledTime) {
        KeyLayout.checkObjectId(objectId);
        byte[] id = objectId.clone();
        return writer.submitSystemTask("delete an alarm given up",
                txn -> alarms.deleteIfAt(txn, namespaceId, id, scheduledTime));
    }

    /**
     * Returns quotas for the objects of one script: at most {@code maxObjectBytes} per object and
     * {@code maxScriptBytes} over all objects of {@code namespaceIds} (the script's namespaces).
     * Pass {@link Long#MAX_VALUE} for no limit.
     */
    public StorageQuota storageQuota(long maxObjectBytes, long maxScriptBytes, Collection<Integer> namespaceIds) {
        return new StorageQuota(maxObjectBytes, maxScriptBytes, namespaceIds, usage);
    }

    /** Returns the bytes the objects of a namespace store as of the last commit (keys and values). */
    public long storedBytes(int namespaceId) {
        return usage.committedNamespaceBytes(namespaceId);
    }

    // ---- Introspection ----

    public CommitWriter.Stats writerStats() {
        return writer.stats();
    }

    /** Returns the current LMDB map size in bytes. */
    public long mapSizeBytes() {
        return environment.mapSize();
    }

    /** Returns the number of LMDB transactions open right now; 0 after {@link #close}. */
    public int openTransactions() {
        return environment.openTransactions();
    }

    LmdbEnvironment environment() {
        return environment;
    }

    /**
     * Returns a future that completes when the namespace deletions resumed by {@link #open} have
     * finished. Used by tests and for shutdown ordering.
     */
    CompletableFuture<Void> resumedDeletions() {
        return resumedDeletions;
    }

    /** Returns whether the commit writer thread is alive. */
    public boolean isWriterRunning() {
        return writer.isRunning();
    }

    /**
     * Lets the commit writer finish every queued batch, stops it, and closes the environment once
     * no read is in progress. Later calls on this store or its object storages throw
     * IllegalStateException. Does nothing if already closed.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            writer.stop();
            environment.close();
            CommitWriter.Stats stats = writer.stats();
            log.info("Closed LMDB store {} after {} of {}", directory, Values.formatCount(stats.commits(), "commit"),
                    Values.formatCount(stats.batches(), "batch", "batches"));
        } finally {
            closeQuietly(directoryLock, directory);
            OPEN_DIRECTORIES.remove(directory);
        }
    }

    /**
     * Takes the lock file of {@code directory} for this process and writes its PID there. The
     * operating system drops the lock when the process ends, however it ends, so a killed host
     * never leaves a stale lock behind.
     *
     * @throws StoreInUseException if another process holds the lock
     */
    private static FileChannel lockDirectory(Path directory) throws IOException {
        FileChannel channel = FileChannel.open(directory.resolve(LOCK_FILE),
                StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        try {
            if (channel.tryLock() == null) {
                throw new StoreInUseException(directory, readPid(channel));
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Reads the PID that the process with the lock wrote, if the file contains one. */
    private static OptionalLong readPid(FileChannel channel) throws IOException {
        ByteBuffer content = ByteBuffer.allocate(32);
        channel.read(content, 0);
        String text = new String(content.array(), 0, content.position(), StandardCharsets.US_ASCII).strip();
        try {
            return OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static void closeQuietly(FileChannel lock, Path directory) {
        try {
            lock.close();
        } catch (IOException e) {
            log.warn("Closing the lock file of {} failed; the lock ends with the process", directory, e);
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("The LMDB store at " + directory + " is closed");
        }
    }

    /** Waits for a system task; rethrows its failure unwrapped when it is unchecked. */
    private <T> T await(CompletableFuture<T> future) {
        if (writer.isWriterThread()) {
            throw new IllegalStateException("Blocking store calls cannot run on the commit writer thread");
        }
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }
}
