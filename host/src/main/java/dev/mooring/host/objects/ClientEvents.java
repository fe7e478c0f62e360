package dev.mooring.host.objects;

/**
 * What a client connection reports about a bound WebSocket end: its frames and how it ended.
 * Called on the connection's I/O thread, in the order things happened.
 */
public interface ClientEvents {

    void text(String text);

    void binary(byte[] bytes);

    /** The client sent a close frame ({@code wasClean}) or the connection dropped without one. */
    void closed(int code, String reason, boolean wasClean);

    /** The connection failed, for example with an oversized frame. */
    void failed(String message);
}
