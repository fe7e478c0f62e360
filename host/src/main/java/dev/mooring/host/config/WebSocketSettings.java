package dev.mooring.host.config;

/**
 * Limits of WebSocket connections: those of clients, and those that guest code opens (where the
 * far end is a server and "client" below means that server).
 *
 * @param maxMessageBytes largest message a client may send; a larger one closes the connection
 *     with 1009 (message too big)
 * @param sendBufferBytes most bytes queued for a client that is not reading; beyond that the
 *     connection is closed with 1008, so a slow client cannot grow the host's memory
 * @param receiveBufferBytes most bytes of a client's messages that wait for the object's handler.
 *     Beyond that the host stops reading from that client until the object catches up, so a
 *     client that sends faster than its object handles messages cannot grow the host's memory
 * @param idleTimeoutMillis how long a connection may see no frame before it is closed; 0 for never
 */
public record WebSocketSettings(long maxMessageBytes, long sendBufferBytes, long receiveBufferBytes, long idleTimeoutMillis) {

    /**
     * 1 MiB messages (the limit Cloudflare documents), 16 MiB of queued sends, 1 MiB of messages
     * waiting for the object, no idle timeout.
     */
    public static final WebSocketSettings DEFAULTS = new WebSocketSettings(1L << 20, 16L << 20, 1L << 20, 0);

    /** Reads the limits that the {@code --websocket-*} options set. */
    public static WebSocketSettings from(OptionParser.Parsed options) {
        return new WebSocketSettings(options.get(HostOptions.WEBSOCKET_MAX_MESSAGE),
                options.get(HostOptions.WEBSOCKET_SEND_BUFFER), options.get(HostOptions.WEBSOCKET_RECEIVE_BUFFER),
                options.get(HostOptions.WEBSOCKET_IDLE_TIMEOUT).toMillis());
    }
}
