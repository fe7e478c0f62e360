package dev.mooring.host.objects;

/**
 * What a client connection reports about a bound WebSocket end: its frames and how it ended.
 * Called on the connection's I/O thread, in the order things happened.
 *
 * <p>Each message comes with a {@code handled} callback. The host runs it once the message has
 * reached the guest's handler, or was replied to by an auto-response or dropped without it. It
 * runs on whichever thread that happens, and may run more than once. The connection counts the bytes of messages not yet
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

    /**
     * Returns who the connection talks to, for log lines: the script and the object that accepted
     * the other end, or the Worker, or that no one has accepted it yet.
     */
    String owner();
}
