package dev.mooring.host.objects;

import org.graalvm.polyglot.HostAccess;

/**
 * The host side of a guest {@code WebSocket}'s text sends on its end: the one bridge call that a
 * broadcasting room makes once per client and message.
 *
 * <p>It is a Java object with an exported method rather than a function of the bridge object.
 * GraalJS converts an exported method's string argument with a cached node, where a bridge
 * function gets every argument wrapped in a new polyglot {@code Value} and reads it back through
 * an uncached conversion. The sender also keeps a reference to its end, so a send looks nothing
 * up by id. In a profile of a room broadcasting to 200 clients, those steps took about a tenth of
 * the room's event loop.
 *
 * <p>Threads: created and called on the event loop of the shard whose guest code has the {@code
 * WebSocket}. It adds no state of its own, and it fails as the bridge does once the host has
 * dropped the end.
 */
public final class WebSocketSender {

    private final Shard shard;
    private final WebSocketEnd end;

    WebSocketSender(Shard shard, WebSocketEnd end) {
        this.shard = shard;
        this.end = end;
    }

    /** Sends {@code text} from the end once the output gate allows it. */
    @HostAccess.Export
    public void sendText(String text) {
        shard.sendFromGuest(end, text);
    }
}
