package dev.mooring.host.storage;

import dev.mooring.host.config.Values;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.Txn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LMDB environment of one store and its two databases, {@code kv} and {@code meta}, with the
 * rules that keep lmdbjava safe:
 * <ul>
 *   <li>Opened with {@code MDB_NOTLS}, so read transactions are not tied to OS threads and the
 *       per-process limit of about 1,000 environments without it does not apply.
 *   <li>Both databases use {@code MDB_UNSIGNEDKEY}. LMDB itself always compares unsigned, and the
 *       flag makes lmdbjava's Java-side comparator agree.
 *   <li>Every transaction holds the growth lock shared, and {@link #growMap} takes it exclusively.
 *       Resizing the map while any read transaction is live crashes the JVM (SIGSEGV on the next
 *       access to a buffer from the old mapping). The write transaction needs no lock because the
 *       writer thread that owns it is the only thread that resizes, and it resizes only between
 *       transactions.
 *   <li>Every transaction is counted, so tests can check that none stays open.
 * </ul>
 * Read transactions may be opened from any thread, write transactions only from the commit writer
 * thread.
 */
final class LmdbEnvironment {

    private static final Logger log = LoggerFactory.getLogger(LmdbEnvironment.class);

    /** The map is full and already at {@code maxMapSizeBytes}, so it cannot grow. */
    static final class MapLimitException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        MapLimitException(String message) {
            super(message);
        }
    }

    /** Map sizes are rounded up to this many bytes, a multiple of every common OS page size. */
    private static final long MAP_SIZE_ALIGNMENT = 64 * 1024;

    private final Path directory;
    private final LmdbStore.Options options;
    private final Env<ByteBuffer> env;
    private final Dbi<ByteBuffer> kv;
    private final Dbi<ByteBuffer> meta;
    private final ReentrantReadWriteLock growthLock = new ReentrantReadWriteLock();
    private final AtomicInteger openTransactions = new AtomicInteger();
    private final AtomicLong mapGrowths = new AtomicLong();
    private volatile long mapSize;
    private volatile boolean closed;

    private LmdbEnvironment(Path directory, LmdbStore.Options options, Env<ByteBuffer> env) {
        this.directory = directory;
        this.options = options;
        this.env = env;
        this.kv = env.openDbi("kv", DbiFlags.MDB_CREATE, DbiFlags.MDB_UNSIGNEDKEY);
        this.meta = env.openDbi("meta", DbiFlags.MDB_CREATE, DbiFlags.MDB_UNSIGNEDKEY);
        this.mapSize = env.info().mapSize;
    }

    static LmdbEnvironment open(Path directory, LmdbStore.Options options) {
        long requestedMapSize = alignMapSize(options.initialMapSizeBytes());
        Env<ByteBuffer> env = Env.create()
                .setMapSize(requestedMapSize)
                // Only kv and meta: LMDB's per-transaction setup cost grows with the number of databases.
                .setMaxDbs(2)
                .setMaxReaders(options.maxReaders())
                .open(directory.toFile(), EnvFlags.MDB_NOTLS);
        try {
            if (env.getMaxKeySize() < KeyLayout.MAX_LMDB_KEY_LENGTH) {
                throw new IllegalStateException("The LMDB library allows keys of at most " + env.getMaxKeySize()
                        + " bytes, but the key layout needs " + KeyLayout.MAX_LMDB_KEY_LENGTH
                        + "; use the LMDB build bundled with lmdbjava");
            }
            int staleReaders = env.readerCheck();
            if (staleReaders > 0) {
                log.warn("Cleared {} reader slots of dead processes in {}", staleReaders, directory);
            }
            LmdbEnvironment environment = new LmdbEnvironment(directory, options, env);
            // LMDB never maps less than the data file, so after a reopen the map can exceed the request.
            log.debug("Opened LMDB environment {} with a map of {} (requested {}), max readers {}", directory,
                    Values.formatBytes(environment.mapSize), Values.formatBytes(requestedMapSize), options.maxReaders());
            return environment;
        } catch (RuntimeException e) {
            env.close();
            throw e;
        }
    }

    Path directory() {
        return directory;
    }

    Dbi<ByteBuffer> kv() {
        return kv;
    }

    Dbi<ByteBuffer> meta() {
        return meta;
    }

    long mapSize() {
        return mapSize;
    }

    long mapGrowths() {
        return mapGrowths.get();
    }

    int openTransactions() {
        return openTransactions.get();
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * Runs {@code work} in a fresh read transaction, which is a snapshot of the last commit.
     * Whatever {@code work} returns must not reference LMDB buffers: the transaction ends before
     * this method returns.
     *
     * @throws IllegalStateException if the environment is closed
     */
    <T> T read(Function<Txn<ByteBuffer>, T> work) {
        growthLock.readLock().lock();
        try {
            checkOpen();
            try (Txn<ByteBuffer> txn = env.txnRead()) {
                openTransactions.incrementAndGet();
                try {
                    return work.apply(txn);
                } finally {
                    openTransactions.decrementAndGet();
                }
            }
        } finally {
            growthLock.readLock().unlock();
        }
    }

    /**
     * Runs {@code work} in one write transaction and commits it durably. Call only from the commit
     * writer thread. {@link Env.MapFullException} propagates with the transaction aborted, so the
     * caller can grow the map and run the same work again.
     */
    <T> T writeOnce(Function<Txn<ByteBuffer>, T> work) {
        checkOpen();
        try (Txn<ByteBuffer> txn = env.txnWrite()) {
            openTransactions.incrementAndGet();
            try {
                T result = work.apply(txn);
                txn.commit();
                return result;
            } finally {
                openTransactions.decrementAndGet();
            }
        }
    }

    /**
     * Like {@link #writeOnce}, but grows the map and runs {@code work} again whenever it is full.
     * {@code work} must be repeatable: every attempt starts from the last committed state.
     */
    <T> T write(Function<Txn<ByteBuffer>, T> work) {
        while (true) {
            try {
                return writeOnce(work);
            } catch (Env.MapFullException e) {
                growMap();
            }
        }
    }

    /**
     * Grows the map by the configured factor, waiting until no read transaction is live. Call only
     * from the commit writer thread with no write transaction open.
     *
     * @throws MapLimitException if the map already has the configured maximum size
     */
    void growMap() {
        long current = mapSize;
        long maximum = alignMapSize(options.maxMapSizeBytes());
        if (current >= maximum) {
            throw new MapLimitException("The LMDB map of " + directory + " is full at " + current
                    + " bytes, the configured maximum (maxMapSizeBytes); raise the maximum or delete data");
        }
        long target = Math.min(maximum, alignMapSize((long) Math.ceil(current * options.mapGrowthFactor())));
        target = Math.max(target, current + MAP_SIZE_ALIGNMENT);

        growthLock.writeLock().lock();
        try {
            env.setMapSize(target);
            mapSize = env.info().mapSize;
        } finally {
            growthLock.writeLock().unlock();
        }
        mapGrowths.incrementAndGet();
        log.info("Grew the LMDB map of {} from {} to {}", directory, Values.formatBytes(current), Values.formatBytes(mapSize));
    }

    /**
     * Closes the environment once no read transaction is live. The caller must have stopped the
     * commit writer first. Later reads throw IllegalStateException.
     */
    void close() {
        growthLock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            env.close();
        } finally {
            growthLock.writeLock().unlock();
        }
        log.debug("Closed LMDB environment {}", directory);
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("The LMDB store at " + directory + " is closed");
        }
    }

    private static long alignMapSize(long bytes) {
        long aligned = (bytes + MAP_SIZE_ALIGNMENT - 1) / MAP_SIZE_ALIGNMENT * MAP_SIZE_ALIGNMENT;
        return aligned < 0 ? Long.MAX_VALUE / MAP_SIZE_ALIGNMENT * MAP_SIZE_ALIGNMENT : aligned;
    }
}
