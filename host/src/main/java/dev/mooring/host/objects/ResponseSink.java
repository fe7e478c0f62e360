package dev.mooring.host.objects;

import dev.mooring.runtime.fetch.ResponseData;

/**
 * Where the outcome of one fetch event goes: an HTTP exchange or a stub caller's promise. Exactly
 * one of the three methods is called, exactly once, on the thread of the object that handled the
 * event; implementations hop to their own thread as needed.
 */
public interface ResponseSink {

    void complete(ResponseData response);

    /**
     * Delivers a response whose body is a stream: {@code head} has the status and headers and no
     * body, and the chunks arrive through {@code body}, whose consumer the sink becomes. A sink
     * that cannot stream cancels the body and fails.
     */
    default void stream(ResponseData head, BodyChannel body) {
        body.cancel("the receiver cannot take a streamed body");
        fail(EventFailure.internal(java.util.UUID.randomUUID().toString()));
    }

    void fail(EventFailure failure);
}
