package dev.mooring.host.objects;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Host-wide numbering of WebSocket ends, and the index from an end's id to the script runtime that
 * made it. When a 101 response hands an end to the HTTP frontend, the frontend only has the id;
 * this directory finds the runtime that binds the client connection to it.
 *
 * <p>Guest code never looks ends up here: each runtime resolves the ids its own scripts pass with
 * its own table, so one script cannot reach another's sockets by guessing ids.
 *
 * <p>Thread-safe.
 */
public final class WebSocketDirectory {

    private final AtomicLong nextId = new AtomicLong(1);
    private final Map<Long, ScriptRuntime> owners = new ConcurrentHashMap<>();

    long register(ScriptRuntime owner) {
        long id = nextId.getAndIncrement();
        owners.put(id, owner);
        return id;
    }

    void forget(long id) {
        owners.remove(id);
    }

    /**
     * Binds the end {@code endId} to the client connection upgraded for it and returns where the
     * connection reports its frames; null when the end is unknown, gone or already bound.
     */
    public ClientEvents bindClientSocket(long endId, ClientSocket socket) {
        ScriptRuntime owner = owners.get(endId);
        return owner == null ? null : owner.bindClientSocket(endId, socket);
    }

    /** Closes the peer of an end whose client connection never came about. */
    public void rejectClientSocket(long endId, String reason) {
        ScriptRuntime owner = owners.get(endId);
        if (owner != null) {
            owner.rejectClientSocket(endId, reason);
        }
    }

    /** Number of ends not yet forgotten; for tests. */
    public int size() {
        return owners.size();
    }
}
