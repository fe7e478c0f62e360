package dev.mooring.host.objects;

import dev.mooring.runtime.fetch.ResponseData;

/**
 * Where the outcome of one fetch event goes: an HTTP exchange or a stub caller's promise. Exactly
 * one of the two methods is called, exactly once, on the thread of the object that handled the
 * event; implementations hop to their own thread as needed.
 */
public interface ResponseSink {

    void complete(ResponseData response);

    void fail(EventFailure failure);
}
