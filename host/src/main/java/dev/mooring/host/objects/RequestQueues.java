package dev.mooring.host.objects;

import dev.mooring.runtime.fetch.ResponseData;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The requests waiting for each object of one script. A request counts from the moment it is
 * routed to the object until its handler starts it or it fails. The count is capped, so that
 * callers that send faster than an object handles requests cannot fill the host's heap. A request
 * over a cap fails at once with workerd's overload error.
 *
 * <p>Caps: {@value #MAX_QUEUED_REQUESTS} requests, and {@value #MAX_QUEUED_BODY_BYTES} bytes of
 * request bodies, per object. A request is always admitted when nothing waits for its object, so
 * one body of any accepted size gets through. workerd documents overload errors without giving
 * its numbers; these are Mooring's own.
 *
 * <p>Thread-safe: requests are admitted on any thread and released on event loops. An object with
 * nothing waiting has no entry.
 */
final class RequestQueues {

    /** Most requests waiting for one object. */
    static final int MAX_QUEUED_REQUESTS = 1000;

    /** Most bytes of request bodies waiting for one object. */
    static final long MAX_QUEUED_BODY_BYTES = 64L << 20;

    /** The message of workerd's overload error when too many requests wait. */
    static final String TOO_MANY_REQUESTS = "Durable Object is overloaded. Too many requests queued.";

    /** The message of workerd's overload error when too much data waits. */
    static final String TOO_MUCH_DATA = "Durable Object is overloaded. Too much data queued.";

    /** The requests and body bytes waiting for one object; replaced only inside the map's atomic compute calls. */
    private record Waiting(int requests, long bodyBytes) {}

    private final ConcurrentHashMap<ObjectKey, Waiting> waiting = new ConcurrentHashMap<>();

    /**
     * Counts a request for {@code key} whose outcome goes to {@code sink}, and returns the ticket
     * that replaces {@code sink} and releases the count. Returns null when the object is over a
     * cap, and {@link #overloadMessage} then names the cap.
     */
    Ticket admit(ObjectKey key, long bodyBytes, ResponseSink sink) {
        AtomicBoolean admitted = new AtomicBoolean();
        waiting.compute(key, (ignored, current) -> {
            if (current == null) {
                admitted.set(true);
                return new Waiting(1, bodyBytes);
            }
            if (current.requests() >= MAX_QUEUED_REQUESTS || current.bodyBytes() + bodyBytes > MAX_QUEUED_BODY_BYTES) {
                return current;
            }
            admitted.set(true);
            return new Waiting(current.requests() + 1, current.bodyBytes() + bodyBytes);
        });
        return admitted.get() ? new Ticket(key, bodyBytes, sink) : null;
    }

    /** Returns the overload message for an object that {@link #admit} just turned a request away from. */
    String overloadMessage(ObjectKey key) {
        Waiting current = waiting.get(key);
        return current != null && current.requests() >= MAX_QUEUED_REQUESTS ? TOO_MANY_REQUESTS : TOO_MUCH_DATA;
    }

    /** Returns how many requests wait for {@code key}. For tests. */
    int waitingFor(ObjectKey key) {
        Waiting current = waiting.get(key);
        return current == null ? 0 : current.requests();
    }

    /**
     * One admitted request: the sink its outcome goes through, which releases the count first.
     * {@link #run} releases it when the handler starts. Releasing more than once has no further effect.
     */
    final class Ticket extends AtomicBoolean implements Runnable, ResponseSink {
        private final ObjectKey key;
        private final long bodyBytes;
        private final ResponseSink sink;

        private Ticket(ObjectKey key, long bodyBytes, ResponseSink sink) {
            this.key = key;
            this.bodyBytes = bodyBytes;
            this.sink = sink;
        }

        /** Stops counting the request, because its handler started or it has an outcome. */
        @Override
        public void run() {
            if (!compareAndSet(false, true)) {
                return;
            }
            waiting.computeIfPresent(key, (ignored, current) -> current.requests() <= 1
                    ? null
                    : new Waiting(current.requests() - 1, current.bodyBytes() - bodyBytes));
        }

        @Override
        public void complete(ResponseData response) {
            run();
            sink.complete(response);
        }

        @Override
        public void stream(ResponseData head, BodyChannel body) {
            run();
            sink.stream(head, body);
        }

        @Override
        public void fail(EventFailure failure) {
            run();
            sink.fail(failure);
        }
    }
}
