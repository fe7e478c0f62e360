package dev.mooring.host.objects;

import dev.mooring.runtime.fetch.RequestData;
import java.util.List;

/**
 * A request for an object's {@code fetch} handler, or a JS RPC call of one of its methods, with
 * where its response goes and, for calls made through a stub, which stub, so that a stub bound to
 * an object that was reset fails. {@code started} runs when the handler starts it (see {@link
 * RequestQueues}).
 *
 * <p>An RPC call travels the same way as a request, so that it shares the queues, the limits and
 * the output gate: {@code rpcMethod} names the method, the request's body carries the serialized
 * arguments, and the response's body the serialized result. {@code rpcMethod} is null for a fetch.
 * {@code callbacks} leads back to the caller, for the functions and RpcTargets among the
 * arguments; it is null when there are none.
 */
record FetchEvent(RequestData request, ResponseSink sink, StubHandle stub, Runnable started, String rpcMethod,
        CallbackChannel callbacks) implements ActorEvent {

    private static final Runnable NOT_COUNTED = () -> {};

    FetchEvent(RequestData request, ResponseSink sink, StubHandle stub) {
        this(request, sink, stub, NOT_COUNTED, null, null);
    }

    /** Makes a JS RPC call of {@code method} with the serialized {@code arguments}, made through {@code stub}. */
    static FetchEvent rpcCall(String method, byte[] arguments, ResponseSink sink, StubHandle stub, CallbackChannel callbacks) {
        // The URL only names the call in logs; no handler reads it.
        return new FetchEvent(new RequestData("POST", "rpc:" + method, List.of(), arguments), sink, stub, NOT_COUNTED, method,
                callbacks);
    }

    /** Returns this event counted by {@code ticket}, which also receives its outcome. */
    FetchEvent countedBy(RequestQueues.Ticket ticket) {
        return new FetchEvent(request, ticket, stub, ticket, rpcMethod, callbacks);
    }

    boolean isRpcCall() {
        return rpcMethod != null;
    }
}
