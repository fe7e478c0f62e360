package dev.mooring.host.objects;

/**
 * What a client connection reports about a bound WebSocket end: its frames and how it ended.
 * Called on the connection's I/O thread, in the order things happened.
 *
 * <p>Each message comes with a {@code handled} callback. The host runs it once the message has
 * reached the guest's handler, or was answered or dropped without it, from whichever thread that
 * happens on; it may run more than once. The connection counts the bytes of messages not yet
 * handled and stops reading while they exceed its receive buffer, so it relies on every message
 * being reported handled in the end.
 */
public interface ClientEvents {

    void text(String text, Runnable handled);

    void binary(byte[] bytes, Runnable handled);

    /** The client sent a close frame ({@code wasClean}) or the connection dropped without one. */
    void closed(int code, String reason, boolean wasClean);

    /** The connection failed, for example with an oversized frame. */
    void failed(String message);
}
