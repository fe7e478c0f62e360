package dev.mooring.host.objects;

import dev.mooring.runtime.fetch.RequestData;

/**
 * A request for an object's {@code fetch} handler, with where its response goes and, for calls
 * made through a stub, which stub, so that a stub bound to an object that was reset fails.
 */
record FetchEvent(RequestData request, ResponseSink sink, StubHandle stub) implements ActorEvent {}
