package dev.mooring.host.objects;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The body of one streamed response, on its way from the guest code that writes it (the producer,
 * on its shard's loop) to the code that sends or reads it (the consumer). The consumer is an HTTP
 * exchange on an I/O thread, or a stub caller's guest code on another loop.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li>Chunks reach the consumer in the order the producer offered them, and none after a
 *       failure or a cancel.
 *   <li>At most {@code maxQueuedBytes} wait here at once. An offer that would pass the cap fails
 *       the body instead of waiting: the consumer then aborts, and the producer's stream is
 *       errored. The cap is the option {@code --max-queued-response-body}.
 *   <li>{@link #producerDone()} completes exactly once, when the producer is finished with the
 *       body: it ended it, it failed, or the consumer cancelled it.
 * </ul>
 *
 * <h2>Lifecycle</h2>
 *
 * {@link State#OPEN} → {@link State#ENDED} (the producer closed it; the consumer drains what is
 * queued), {@link State#FAILED} (the producer's stream errored, the queue passed its cap, or the
 * producer's object was reset) or {@link State#CANCELLED} (the consumer went away). Every state
 * but OPEN is final.
 *
 * <h2>Threads</h2>
 *
 * Any thread may call any method; the queue and the state are guarded by {@code this}. The
 * consumer's signal and the producer's cancel hook run outside the lock, on the thread that caused
 * them, and must hop to their own thread themselves. It never calls guest code itself.
 */
public final class BodyChannel {

    private static final Logger log = LoggerFactory.getLogger(BodyChannel.class);

    /** Lifecycle states; see the class comment for the transitions. */
    public enum State {
        OPEN,
        ENDED,
        FAILED,
        CANCELLED
    }

    /** Outcome of a chunk the producer offered. */
    enum Offer {
        /** Queued for the consumer. */
        QUEUED,
        /** Rejected, because the queue would pass its cap; the body failed. */
        OVER_CAP,
        /** Rejected, because the body already ended, failed or was cancelled. */
        CLOSED
    }

    private final long maxQueuedBytes;
    private final String label;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final CompletableFuture<Void> producerDone = new CompletableFuture<>();
    private long queuedBytes;
    private State state = State.OPEN;
    private String failure;
    private Runnable signal;
    private Consumer<String> cancelHook;
    private String cancelReason;

    /** @param label who produces the body (script, namespace, object), for logs */
    BodyChannel(long maxQueuedBytes, String label) {
        if (maxQueuedBytes <= 0) {
            throw new IllegalArgumentException("maxQueuedBytes must be positive, got " + maxQueuedBytes);
        }
        this.maxQueuedBytes = maxQueuedBytes;
        this.label = label;
    }

    /** Returns the producer's script, namespace and object, for logs. */
    public String label() {
        return label;
    }

    // ---- Producer -------------------------------------------------------------------------------

    /** Queues a chunk for the consumer, or rejects it; see {@link Offer}. */
    Offer offer(byte[] chunk) {
        Runnable wake;
        boolean overCap;
        synchronized (this) {
            if (state != State.OPEN) {
                return Offer.CLOSED;
            }
            overCap = queuedBytes + chunk.length > maxQueuedBytes;
            if (overCap) {
                failLocked("the client read the response more slowly than the script wrote it, and more than "
                        + maxQueuedBytes + " bytes were waiting (--max-queued-response-body)");
            } else {
                queue.add(chunk);
                queuedBytes += chunk.length;
            }
            wake = signal;
        }
        if (overCap) {
            producerDone.complete(null);
        }
        run(wake);
        return overCap ? Offer.OVER_CAP : Offer.QUEUED;
    }

    /** Ends the body normally; the consumer still gets what is queued. */
    void end() {
        finish(State.ENDED, null);
    }

    /** Fails the body: the consumer drops what is queued and aborts. */
    void fail(String reason) {
        finish(State.FAILED, reason);
    }

    /**
     * Sets what runs when the consumer cancels the body, with the reason; it runs at once if the
     * body was cancelled already.
     */
    void onCancel(Consumer<String> hook) {
        String reason;
        synchronized (this) {
            if (state != State.CANCELLED) {
                cancelHook = hook;
                return;
            }
            reason = cancelReason;
        }
        hook.accept(reason);
    }

    /** Completes once the producer is finished with the body. */
    CompletableFuture<Void> producerDone() {
        return producerDone;
    }

    // ---- Consumer -------------------------------------------------------------------------------

    /**
     * Sets what runs whenever a chunk arrives or the state changes. It runs once at once, so that
     * the consumer looks at what is there already. Only one consumer may attach.
     */
    public void attach(Runnable wake) {
        synchronized (this) {
            if (signal != null) {
                throw new IllegalStateException("The body of " + label + " already has a consumer");
            }
            signal = wake;
        }
        wake.run();
    }

    /** Returns whether a consumer has attached. */
    synchronized boolean attached() {
        return signal != null;
    }

    /** Takes the next queued chunk, or returns null when none is queued. */
    public synchronized byte[] poll() {
        byte[] chunk = queue.poll();
        if (chunk != null) {
            queuedBytes -= chunk.length;
        }
        return chunk;
    }

    public synchronized State state() {
        return state;
    }

    /** Returns why the body failed, or null unless it did. */
    public synchronized String failure() {
        return failure;
    }

    /** Cancels the body from the consumer's side: the producer's stream is cancelled with {@code reason}. */
    public void cancel(String reason) {
        Consumer<String> hook;
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            state = State.CANCELLED;
            cancelReason = reason;
            queue.clear();
            queuedBytes = 0;
            hook = cancelHook;
        }
        log.info("Cancelled the response stream of {}: {}", label, reason);
        producerDone.complete(null);
        if (hook != null) {
            hook.accept(reason);
        }
    }

    // ---- Internals ------------------------------------------------------------------------------

    private void finish(State next, String reason) {
        Runnable wake;
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            if (next == State.FAILED) {
                failLocked(reason);
            } else {
                state = next;
            }
            wake = signal;
        }
        producerDone.complete(null);
        run(wake);
    }

    private void failLocked(String reason) {
        state = State.FAILED;
        failure = reason;
        queue.clear();
        queuedBytes = 0;
    }

    private static void run(Runnable wake) {
        if (wake != null) {
            wake.run();
        }
    }
}
