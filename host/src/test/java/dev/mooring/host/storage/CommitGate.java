package dev.mooring.host.storage;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A commit fault injector for tests that can hold the writer thread inside a transaction, so that
 * batches are provably in flight, and can make chosen batches fail.
 */
final class CommitGate implements Predicate<WriteBatch> {

    /** Generous bound so that a broken test fails instead of hanging the build. */
    private static final long WAIT_SECONDS = 60;

    /** One hold: the next batch the writer applies waits inside the transaction until released. */
    static final class Hold {
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        /** Waits until the writer is held, that is, inside a transaction applying a batch. */
        void awaitReached() {
            await(reached, "the writer to reach the hold");
        }

        void release() {
            released.countDown();
        }
    }

    private final ConcurrentLinkedQueue<Hold> pendingHolds = new ConcurrentLinkedQueue<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final List<WriteBatch> applied = new CopyOnWriteArrayList<>();

    /** Arms a hold for the next batch the writer applies. */
    Hold holdNextBatch() {
        Hold hold = new Hold();
        pendingHolds.add(hold);
        return hold;
    }

    /** Makes the batch with this sequence number of {@code storage} fail every time it is applied. */
    void failBatch(ObjectStorage storage, long sequence) {
        failing.add(storage.objectIdHex() + "#" + sequence);
    }

    /** Returns every batch the writer started to apply, in order, with repeats for replays. */
    List<WriteBatch> applied() {
        return applied;
    }

    @Override
    public boolean test(WriteBatch batch) {
        applied.add(batch);
        Hold hold = pendingHolds.poll();
        if (hold != null) {
            hold.reached.countDown();
            await(hold.released, "the test to release the hold");
        }
        return failing.contains(batch.objectIdHex() + "#" + batch.sequence());
    }

    private static void await(CountDownLatch latch, String description) {
        try {
            if (!latch.await(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Timed out after " + WAIT_SECONDS + " s waiting for " + description);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for " + description, e);
        }
    }
}
