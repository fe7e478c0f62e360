package dev.mooring.host.objects;

import dev.mooring.runtime.fetch.RequestData;

/**
 * A request for an object's {@code fetch} handler, with where its response goes and, for calls
 * made through a stub, which stub, so that a stub bound to an object that was reset fails.
 * {@code started} runs when the handler starts it (see {@link RequestQueues}).
 */
record FetchEvent(RequestData request, ResponseSink sink, StubHandle stub, Runnable started) implements ActorEvent {

    private static final Runnable NOT_COUNTED = () -> {};

    FetchEvent(RequestData request, ResponseSink sink, StubHandle stub) {
        this(request, sink, stub, NOT_COUNTED);
    }
}
