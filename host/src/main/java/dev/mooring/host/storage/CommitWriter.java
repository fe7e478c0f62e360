package dev.mooring.host.storage;

import dev.mooring.host.config.Values;
import dev.mooring.host.logging.ObjectLabels;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Predicate;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single writer of one LMDB environment: a platform thread that takes write batches from all
 * objects off one queue and commits them with group commit.
 *
 * <h2>Guarantees</h2>
 * <ul>
 *   <li>Group commit. The writer drains the queued batches into one write transaction, up to
 *       {@code maxOperationsPerCommit} operations and {@code maxBytesPerCommit} bytes (a single
 *       larger batch still goes in whole), commits it with full durability (LMDB's default sync
 *       mode: data pages, then the meta page, are synced before the commit returns), and only then
 *       completes each batch's future. One fsync pair thus serves many objects. Funnelling all writes
 *       through one thread also avoids the convoy of many threads contending for LMDB's writer lock.
 *   <li>Order. Batches are applied in queue order, so the batches of one object commit in the order
 *       it submitted them.
 *   <li>Isolation of failures. If applying one batch fails, the transaction is aborted and the
 *       group is replayed without it. That batch's object is marked broken, and its batches still
 *       in the group or queue fail too, because they were written on top of the failed one.
 *   <li>Map growth. When the map is full the transaction is aborted, the map grows, and the same
 *       group is replayed (see {@link LmdbEnvironment#growMap}).
 *   <li>If the commit itself fails, every batch in the group fails: none of them is durable.
 *   <li>Usage. The transaction that applies a batch also updates its object's and namespace's
 *       usage records (see {@link StorageUsage}). After the commit the writer publishes the new
 *       namespace totals first and each object's new usage second, so a reader that reads an
 *       object's usage before its namespace's total may count a batch twice but never misses one.
 * </ul>
 * Besides batches, the writer runs system tasks (namespace records, bounded deletion chunks), each
 * in its own transaction, in queue order with the batches.
 *
 * <p>Futures are completed on the writer thread, so dependent stages belong on the caller's own
 * executor (an async stage). A stage that blocks on the writer thread stalls every commit.
 */
public final class CommitWriter {

    private static final Logger log = LoggerFactory.getLogger(CommitWriter.class);

    /**
     * Counters since the store was opened.
     *
     * @param commits write transactions committed
     * @param batches write batches made durable
     * @param operations operations of those batches
     * @param failedBatches write batches failed
     * @param mapGrowths times the LMDB map was grown
     */
    public record Stats(long commits, long batches, long operations, long failedBatches, long mapGrowths) {
    }

    private sealed interface Task permits Submission, SystemTask, Stop {
    }

    private record Submission(WriteBatch batch, CompletableFuture<Void> durable) implements Task {
    }

    private record SystemTask<T>(String description, Function<Txn<ByteBuffer>, T> work, CompletableFuture<T> result)
            implements Task {
    }

    private enum Stop implements Task {
        INSTANCE
    }

    /** Carries a failure to apply one batch out of the transaction, so the group can be replayed. */
    private static final class BatchApplyException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient Submission submission;

        BatchApplyException(Submission submission, Throwable cause) {
            super(cause);
            this.submission = submission;
        }
    }

    private final LmdbEnvironment environment;
    private final StoredWriter storedWriter;
    private final StorageUsage usage;
    private final int maxOperationsPerCommit;
    private final long maxBytesPerCommit;
    private final Predicate<WriteBatch> faultInjector;
    private final LinkedBlockingQueue<Task> queue = new LinkedBlockingQueue<>();
    private final Thread thread;

    /** Shared by submitters, exclusive for shutdown, so no task is queued after the writer stops. */
    private final ReentrantReadWriteLock acceptLock = new ReentrantReadWriteLock();
    private boolean accepting = true;

    private final AtomicLong commits = new AtomicLong();
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong operations = new AtomicLong();
    private final AtomicLong failedBatches = new AtomicLong();

    CommitWriter(LmdbEnvironment environment, StoredWriter storedWriter, StorageUsage usage, LmdbStore.Options options) {
        this.environment = environment;
        this.storedWriter = storedWriter;
        this.usage = usage;
        this.maxOperationsPerCommit = options.maxOperationsPerCommit();
        this.maxBytesPerCommit = options.maxBytesPerCommit();
        this.faultInjector = options.commitFaultInjector();
        this.thread = Thread.ofPlatform()
                .name("mooring-storage-writer-" + environment.directory().getFileName())
                .daemon(true)
                .unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    public Stats stats() {
        return new Stats(commits.get(), batches.get(), operations.get(), failedBatches.get(),
                environment.mapGrowths());
    }

    /** Returns whether the writer thread is alive. */
    public boolean isRunning() {
        return thread.isAlive();
    }

    boolean isWriterThread() {
        return Thread.currentThread() == thread;
    }

    /** Queues {@code batch}; the future completes on the writer thread once it is durable. */
    CompletableFuture<Void> submit(WriteBatch batch) {
        Submission submission = new Submission(batch, new CompletableFuture<>());
        if (!enqueue(submission)) {
            fail(submission, "the store is closed", null);
        }
        return submission.durable();
    }

    /**
     * Queues {@code work} to run in its own write transaction on the writer thread. It may run more
     * than once if the map has to grow, so it must be repeatable.
     */
    <T> CompletableFuture<T> submitSystemTask(String description, Function<Txn<ByteBuffer>, T> work) {
        SystemTask<T> task = new SystemTask<>(description, work, new CompletableFuture<>());
        if (!enqueue(task)) {
            task.result().completeExceptionally(new IllegalStateException(
                    "Cannot " + description + ": the LMDB store at " + environment.directory() + " is closed"));
        }
        return task.result();
    }

    private boolean enqueue(Task task) {
        acceptLock.readLock().lock();
        try {
            if (!accepting) {
                return false;
            }
            queue.add(task);
            return true;
        } finally {
            acceptLock.readLock().unlock();
        }
    }

    /** Stops accepting work, lets the writer finish everything queued, and waits for it to exit. */
    void stop() {
        if (isWriterThread()) {
            throw new IllegalStateException("The commit writer cannot stop itself; close the store from another thread");
        }
        stopAccepting();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void stopAccepting() {
        acceptLock.writeLock().lock();
        try {
            if (accepting) {
                accepting = false;
                queue.add(Stop.INSTANCE);
            }
        } finally {
            acceptLock.writeLock().unlock();
        }
    }

    private void run() {
        log.debug("Commit writer of {} started", environment.directory());
        try {
            while (true) {
                Task task = queue.take();
                switch (task) {
                    case Stop stop -> {
                        return;
                    }
                    case SystemTask<?> systemTask -> runSystemTask(systemTask);
                    case Submission submission -> commitGroup(collectGroup(submission));
                }
            }
        } catch (InterruptedException e) {
            log.error("Commit writer of {} was interrupted; failing the queued batches", environment.directory());
        } catch (RuntimeException | Error e) {
            log.error("Commit writer of {} failed; failing the queued batches", environment.directory(), e);
        } finally {
            stopAccepting();
            failQueuedTasks();
            log.debug("Commit writer of {} stopped after {} of {}", environment.directory(),
                    Values.formatCount(commits.get(), "commit"), Values.formatCount(batches.get(), "batch", "batches"));
        }
    }

    /** Takes {@code first} and the batches queued right behind it, within the per-commit limits. */
    private List<Submission> collectGroup(Submission first) {
        List<Submission> group = new ArrayList<>();
        group.add(first);
        long groupOperations = first.batch().operationCount();
        long groupBytes = first.batch().byteSize();
        // Only this thread takes from the queue, so the head seen by peek() is what poll() removes.
        while (queue.peek() instanceof Submission next
                && groupOperations + next.batch().operationCount() <= maxOperationsPerCommit
                && groupBytes + next.batch().byteSize() <= maxBytesPerCommit) {
            queue.poll();
            group.add(next);
            groupOperations += next.batch().operationCount();
            groupBytes += next.batch().byteSize();
        }
        return group;
    }

    private void commitGroup(List<Submission> group) {
        List<Submission> pending = new ArrayList<>(group);
        while (true) {
            pending.removeIf(this::failIfOwnerBroken);
            if (pending.isEmpty()) {
                return;
            }
            List<StoredWriter.UsageChange> changes = new ArrayList<>();
            Map<Integer, Long> namespaceDeltas = new HashMap<>();
            try {
                environment.write(txn -> {
                    // Each attempt starts from the last commit, so it collects its usage changes afresh.
                    changes.clear();
                    namespaceDeltas.clear();
                    for (Submission submission : pending) {
                        StoredWriter.UsageChange change = apply(txn, submission);
                        changes.add(change);
                        namespaceDeltas.merge(submission.batch().namespaceId(), change.delta(), Long::sum);
                    }
                    usage.addNamespaceUsage(txn, namespaceDeltas);
                    return null;
                });
            } catch (BatchApplyException e) {
                // The transaction was aborted, so replay the others without the failed batch.
                fail(e.submission, "applying it failed", e.getCause());
                pending.remove(e.submission);
                continue;
            } catch (LmdbEnvironment.MapLimitException e) {
                if (pending.size() > 1) {
                    // The group does not fit, but smaller batches may: commit one at a time so that
                    // only the batches that cannot fit fail.
                    for (Submission submission : pending) {
                        commitGroup(List.of(submission));
                    }
                    return;
                }
                fail(pending.getFirst(), "the LMDB map reached its maximum size", e);
                return;
            } catch (RuntimeException | Error e) {
                for (Submission submission : pending) {
                    fail(submission, "the commit of its group of " + pending.size() + " batches failed", e);
                }
                return;
            }

            commits.incrementAndGet();
            usage.publish(namespaceDeltas);
            for (int i = 0; i < pending.size(); i++) {
                pending.get(i).batch().owner().batchCommitted(changes.get(i).after());
            }
            for (Submission submission : pending) {
                batches.incrementAndGet();
                operations.addAndGet(submission.batch().operationCount());
                submission.durable().complete(null);
            }
            return;
        }
    }

    private StoredWriter.UsageChange apply(Txn<ByteBuffer> txn, Submission submission) {
        try {
            if (faultInjector != null && faultInjector.test(submission.batch())) {
                throw new IllegalStateException("Fault injected by the commitFaultInjector test hook");
            }
            return storedWriter.apply(txn, submission.batch());
        } catch (Env.MapFullException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BatchApplyException(submission, e);
        }
    }

    private boolean failIfOwnerBroken(Submission submission) {
        Throwable earlier = submission.batch().owner().brokenBy();
        if (earlier == null) {
            return false;
        }
        fail(submission, "an earlier batch of the same object failed", earlier);
        return true;
    }

    private void fail(Submission submission, String reason, Throwable cause) {
        WriteBatch batch = submission.batch();
        CommitFailedException failure = new CommitFailedException(batch, reason, cause);
        batch.owner().markBroken(failure);
        failedBatches.incrementAndGet();
        log.error("Commit of write batch {} of object {} in namespace {} failed: {}", batch.sequence(),
                ObjectLabels.shortId(batch.objectIdHex()), batch.namespaceId(), reason, cause);
        submission.durable().completeExceptionally(failure);
    }

    private <T> void runSystemTask(SystemTask<T> task) {
        T result;
        try {
            result = environment.write(task.work());
        } catch (RuntimeException | Error e) {
            log.debug("System task '{}' failed", task.description(), e);
            task.result().completeExceptionally(e);
            return;
        }
        task.result().complete(result);
    }

    private void failQueuedTasks() {
        Task task;
        while ((task = queue.poll()) != null) {
            switch (task) {
                case Submission submission -> fail(submission, "the store closed before it was committed", null);
                case SystemTask<?> systemTask -> systemTask.result().completeExceptionally(new IllegalStateException(
                        "Cannot " + systemTask.description() + ": the LMDB store at " + environment.directory()
                                + " closed first"));
                case Stop stop -> {
                }
            }
        }
    }
}
