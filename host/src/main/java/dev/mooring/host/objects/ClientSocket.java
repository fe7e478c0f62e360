package dev.mooring.host.objects;

/**
 * The network side of a WebSocket: a client connection that an end of a {@code WebSocketPair}
 * was handed to in a 101 response. Implementations are thread-safe.
 */
public interface ClientSocket {

    /** Sends a text frame. */
    void sendText(String text);

    /** Sends a binary frame. */
    void sendBinary(byte[] bytes);

    /** Sends a close frame with {@code code} (null for none) and {@code reason}, then closes. */
    void close(Integer code, String reason);
}
