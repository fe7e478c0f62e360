package dev.mooring.host.objects;

import dev.mooring.host.config.WebSocketSettings;
import dev.mooring.sandbox.EventLoop;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebSocket that guest code opened to a server, with {@code fetch()} and {@code Upgrade:
 * websocket} or with {@code new WebSocket(url)}. It is the network side of a {@code
 * WebSocketPair}, as a client's connection is for a 101 response: the guest has the other end,
 * so accepting, sending, close codes, ordering, the object's WebSocket limit and closing on a
 * reset or a new version all work as they do for incoming sockets. This class adds what the JDK
 * client lacks and Undertow gives {@code NetworkSocket}: the limits of {@link WebSocketSettings}.
 *
 * <h2>Why the JDK client</h2>
 *
 * The egress code checks a host name's addresses and pins them in the JVM's resolver while the
 * JDK HTTP client connects (see {@code EgressClient}). The JDK's WebSocket client connects
 * through that same {@code HttpClient}, so the handshake gets the allowlist, the DNS pinning,
 * TLS with the certificate checked for the URL's host, and a refusal's status and body, with no
 * second way out of the machine. Undertow's client would follow redirects unchecked and reports
 * a refused upgrade without its response.
 *
 * <h2>Lifecycle</h2>
 *
 * {@link State#CONNECTING} (the handshake completed, nothing is read yet) → {@link State#OPEN}
 * ({@link #start}: frames flow both ways) → {@link State#CLOSING} (guest code's close frame is
 * queued; frames from the server are still read) → {@link State#CLOSED} (the server's close
 * arrived, the connection failed or was aborted; final). A CONNECTING socket whose guest end is
 * never bound is aborted with {@link #abort}.
 *
 * <h2>Threads</h2>
 *
 * The JDK calls the listener methods on the egress client's threads, one call at a time per
 * socket; only they touch the partial message being assembled. Sends and closes come from event
 * loops, the idle check runs on the owner's loop, and releases of handled messages come from any
 * thread. Everything else is guarded by this object's lock, which is never held while calling
 * the JDK socket or {@link ClientEvents}.
 *
 * <p>It never blocks a caller: sends are chained, one frame after the other, as the JDK allows
 * only one send in progress.
 */
final class OutboundSocket implements ClientSocket, WebSocket.Listener {

    private static final Logger log = LoggerFactory.getLogger(OutboundSocket.class);

    /** The close reason reported when the connection ends without a close frame, as for incoming sockets. */
    static final String DISCONNECTED = "WebSocket disconnected without sending Close frame.";

    /** Lifecycle states; see the class comment. */
    enum State {
        /** Handshake done, not yet bound. Next: OPEN, CLOSED. */
        CONNECTING,
        /** Bound to its guest end. Next: CLOSING, CLOSED. */
        OPEN,
        /** Guest code's close is queued or sent. Next: CLOSED. */
        CLOSING,
        /** Closed, failed or aborted. Final. */
        CLOSED
    }

    /** Set by {@link #onOpen}, which the JDK calls before the handshake's future completes. */
    private volatile WebSocket socket;
    private final WebSocketSettings limits;
    private final String description;
    private final EventLoop loop;

    // Guarded by this.
    private State state = State.CONNECTING;
    private ClientEvents events;
    /** Completes when the last queued frame was sent or failed; the next frame waits for it. */
    private CompletableFuture<Void> sends = CompletableFuture.completedFuture(null);
    private long queuedBytes;
    private long unhandledBytes;
    private boolean readsPaused;
    private long lastFrameNanos;
    private EventLoop.Timer idleTimer;

    // Owned by the JDK's listener calls.
    private final StringBuilder text = new StringBuilder();
    private long textBytes;
    private ByteBuffer binary;

    /**
     * @param description the socket's owner and destination, for the log: script, object and URL
     * @param loop the owner's event loop, whose ticker times the idle timeout
     */
    OutboundSocket(WebSocketSettings limits, String description, EventLoop loop) {
        this.limits = limits;
        this.description = description;
        this.loop = loop;
    }

    /** Starts reading frames and reporting them to {@code clientEvents}. */
    void start(ClientEvents clientEvents) {
        synchronized (this) {
            if (state != State.CONNECTING) {
                return;
            }
            events = clientEvents;
            state = State.OPEN;
            lastFrameNanos = loop.ticker().nanoTime();
        }
        log.info("Opened outgoing WebSocket of {}", description);
        scheduleIdleCheck(limits.idleTimeoutMillis() * 1_000_000L);
        socket.request(1);
    }

    /** Aborts a socket that never reached its guest, or one whose owner went away. */
    void abort(String why) {
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
        }
        log.info("Aborted outgoing WebSocket of {}: {}", description, why);
        WebSocket opened = socket;
        if (opened != null) {
            opened.abort();
        }
    }

    // ---- Guest to server ------------------------------------------------------------------------

    @Override
    public void sendText(String message) {
        enqueue((long) message.length() * 2, ws -> ws.sendText(message, true));
    }

    @Override
    public void sendBinary(byte[] bytes) {
        enqueue(bytes.length, ws -> ws.sendBinary(ByteBuffer.wrap(bytes), true));
    }

    @Override
    public void close(Integer code, String reason) {
        int status = sendableCode(code == null ? WebSocket.NORMAL_CLOSURE : code);
        Runnable sendWhenReady;
        synchronized (this) {
            if (state != State.OPEN) {
                return;
            }
            state = State.CLOSING;
            sendWhenReady = append(ws -> ws.sendClose(status, reason), () -> {});
        }
        sendWhenReady.run();
        log.info("Closing outgoing WebSocket of {} with {} {}", description, status, reason);
    }

    /** Queues one data frame behind the earlier ones, or closes with 1008 when too much waits. */
    private void enqueue(long size, Function<WebSocket, CompletableFuture<WebSocket>> send) {
        long queued;
        Runnable sendWhenReady = null;
        synchronized (this) {
            if (state != State.OPEN) {
                // Closing or closed: the guest's close event is on its way, as for incoming sockets.
                return;
            }
            queued = queuedBytes + size;
            if (queued <= limits.sendBufferBytes()) {
                queuedBytes = queued;
                touch();
                sendWhenReady = append(send, () -> released(size));
            }
        }
        if (sendWhenReady != null) {
            sendWhenReady.run();
            return;
        }
        log.info("Closing outgoing WebSocket of {}: the server stopped reading and {} bytes are queued for it (the limit is {})",
                description, queued, limits.sendBufferBytes());
        // The server reads nothing, so a close frame would wait behind the queue: drop the connection.
        fail(1008, "The server did not read its messages fast enough.", false);
    }

    private synchronized void released(long size) {
        queuedBytes -= size;
    }

    /**
     * Must hold the lock. Puts a frame behind the earlier ones and returns the task that sends it
     * once they are done, which the caller runs after releasing the lock, because the JDK may send
     * at once on the calling thread. {@code done} runs when the frame was sent or failed.
     */
    private Runnable append(Function<WebSocket, CompletableFuture<WebSocket>> send, Runnable done) {
        CompletableFuture<Void> previous = sends;
        CompletableFuture<Void> mine = new CompletableFuture<>();
        sends = mine;
        return () -> previous.whenComplete((ignored, earlierError) -> {
            CompletableFuture<WebSocket> sending;
            try {
                sending = earlierError == null ? send.apply(socket) : CompletableFuture.failedFuture(earlierError);
            } catch (RuntimeException e) {
                sending = CompletableFuture.failedFuture(e);
            }
            sending.whenComplete((sent, error) -> {
                done.run();
                if (error == null) {
                    mine.complete(null);
                } else {
                    // The connection is broken; its close reaches the guest through onError or onClose.
                    log.debug("Sending on outgoing WebSocket of {} failed: {}", description, error.toString());
                    mine.completeExceptionally(error);
                }
            });
        });
    }

    // ---- Server to guest ------------------------------------------------------------------------

    @Override
    public void onOpen(WebSocket webSocket) {
        // Nothing is requested until start(): frames wait in the JDK until the guest end is bound.
        socket = webSocket;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        text.append(data);
        textBytes += utf8Length(data);
        if (textBytes > limits.maxMessageBytes()) {
            text.setLength(0);
            tooLarge();
            return null;
        }
        if (!last) {
            webSocket.request(1);
            return null;
        }
        String message = text.toString();
        text.setLength(0);
        long size = textBytes;
        textBytes = 0;
        ClientEvents target = received(size);
        target.text(message, new Release(size));
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        long size = (binary == null ? 0 : binary.position()) + (long) data.remaining();
        if (size > limits.maxMessageBytes()) {
            binary = null;
            tooLarge();
            return null;
        }
        if (binary == null || binary.remaining() < data.remaining()) {
            ByteBuffer grown = ByteBuffer.allocate((int) Math.min(limits.maxMessageBytes(), Math.max(size, size * 2)));
            if (binary != null) {
                grown.put(binary.flip());
            }
            binary = grown;
        }
        binary.put(data);
        if (!last) {
            webSocket.request(1);
            return null;
        }
        byte[] bytes = new byte[binary.position()];
        binary.flip().get(bytes);
        binary = null;
        ClientEvents target = received(bytes.length);
        target.binary(bytes, new Release(bytes.length));
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        // The JDK sends the pong itself.
        return controlFrameReceived(webSocket);
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        return controlFrameReceived(webSocket);
    }

    /** Counts a ping or pong as activity for the idle timeout and requests the next frame. */
    private CompletionStage<?> controlFrameReceived(WebSocket webSocket) {
        synchronized (this) {
            touch();
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        if (statusCode == 1006) {
            // The JDK reports a connection that ended without a close frame this way.
            ended(1006, DISCONNECTED, false, "the server dropped the connection");
            return null;
        }
        // The JDK replies with a close frame of its own once this returns, unless one was sent.
        boolean guestClosedFirst;
        synchronized (this) {
            guestClosedFirst = state == State.CLOSING;
        }
        ended(statusCode, reason, true, guestClosedFirst ? "the server answered the script's close" : "the server closed it");
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        log.debug("Outgoing WebSocket of {} failed", description, error);
        ended(1006, DISCONNECTED, false, "the connection failed: " + error);
    }

    /**
     * Counts a whole message as waiting for the guest and requests the next one, unless more than
     * the receive buffer waits. Then the JDK stops reading, and TCP slows the server down.
     */
    private ClientEvents received(long size) {
        boolean readMore;
        ClientEvents target;
        synchronized (this) {
            touch();
            unhandledBytes += size;
            readMore = unhandledBytes <= limits.receiveBufferBytes();
            readsPaused = !readMore;
            target = events;
        }
        if (readMore) {
            socket.request(1);
        }
        return target;
    }

    /** One message reported to the guest, released once when it was handled or dropped. */
    private final class Release implements Runnable {
        private final long size;
        private boolean done;

        Release(long size) {
            this.size = size;
        }

        @Override
        public void run() {
            boolean resume;
            synchronized (OutboundSocket.this) {
                if (done) {
                    return;
                }
                done = true;
                unhandledBytes -= size;
                resume = readsPaused && unhandledBytes <= limits.receiveBufferBytes() / 2 && state != State.CLOSED;
                if (resume) {
                    readsPaused = false;
                }
            }
            if (resume) {
                socket.request(1);
            }
        }
    }

    private void tooLarge() {
        log.info("Closing outgoing WebSocket of {}: the server sent a message over {} bytes", description, limits.maxMessageBytes());
        fail(1009, "Message is too large", true);
    }

    /**
     * Reports a close to the guest and drops the connection. When {@code tellServer} is set, a
     * close frame with the code and reason goes to the server first.
     */
    private void fail(int code, String reason, boolean tellServer) {
        ClientEvents target;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            target = events;
        }
        cancelIdleCheck();
        if (tellServer) {
            socket.sendClose(sendableCode(code), reason).whenComplete((ignored, error) -> socket.abort());
        } else {
            socket.abort();
        }
        if (target != null) {
            target.closed(code, reason, false);
        }
    }

    /** Records that the connection ended and reports it to the guest, once. */
    private void ended(int code, String reason, boolean wasClean, String how) {
        ClientEvents target;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            target = events;
        }
        cancelIdleCheck();
        log.info("Outgoing WebSocket of {} closed with {} {}: {}", description, code, reason, how);
        if (!wasClean) {
            socket.abort();
        }
        if (target != null) {
            target.closed(code, reason, wasClean);
        }
    }

    // ---- Idle timeout ---------------------------------------------------------------------------

    /** Must hold the lock. */
    private void touch() {
        lastFrameNanos = loop.ticker().nanoTime();
    }

    /** Checks for idleness after {@code delayNanos} of the loop's ticker; does nothing without a timeout. */
    private void scheduleIdleCheck(long delayNanos) {
        if (limits.idleTimeoutMillis() <= 0) {
            return;
        }
        try {
            loop.execute(() -> {
                synchronized (this) {
                    if (state != State.CLOSED) {
                        idleTimer = loop.schedule(delayNanos, this::checkIdle);
                    }
                }
            });
        } catch (RejectedExecutionException stopped) {
            // The loop is shutting down; so is the runtime that would close this socket.
        }
    }

    /** Runs on the loop: closes the connection when no frame went either way for the idle timeout. */
    private void checkIdle() {
        long timeout = limits.idleTimeoutMillis() * 1_000_000L;
        long idle;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            idle = loop.ticker().nanoTime() - lastFrameNanos;
        }
        if (idle < timeout) {
            scheduleIdleCheck(timeout - idle);
            return;
        }
        ended(1006, DISCONNECTED, false, "no frame for " + limits.idleTimeoutMillis() + " ms, the idle timeout");
    }

    private void cancelIdleCheck() {
        EventLoop.Timer timer;
        synchronized (this) {
            timer = idleTimer;
            idleTimer = null;
        }
        if (timer != null) {
            try {
                loop.execute(timer::cancel);
            } catch (RejectedExecutionException stopped) {
                // The loop is gone and its timers with it.
            }
        }
    }

    /**
     * Returns {@code code}, or 1000 when the JDK's client refuses to send it. The JDK sends only
     * 1000, 1001, 1008, 1011 and 3000 to 4999 among the codes that guest code may pass.
     * NOTE: so guest code's 1002, 1003, 1007, 1009, 1010, 1012 to 1014 and 1016 to 2999 reach the
     * server as 1000, with the guest's reason. The guest's own close event still has its code.
     */
    static int sendableCode(int code) {
        boolean sendable = code == 1000 || code == 1001 || code == 1008 || code == 1011 || (code >= 3000 && code <= 4999);
        return sendable ? code : WebSocket.NORMAL_CLOSURE;
    }

    private static long utf8Length(CharSequence chars) {
        long bytes = 0;
        for (int i = 0; i < chars.length(); i++) {
            char c = chars.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800 || Character.isSurrogate(c)) {
                // A surrogate pair is 4 bytes in UTF-8, 2 for each of its halves.
                bytes += 2;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    @Override
    public String toString() {
        return "OutboundSocket " + description;
    }
}
